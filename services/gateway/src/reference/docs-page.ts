import { dirname, join } from 'node:path';

export const OPENAPI_URL = '/api/v1/openapi.json';
export const ASYNCAPI_URL = '/api/v1/asyncapi.json';
export const DOCS_ASSETS_URL = '/docs/assets';

/** Swagger UI's files, from the package installed with the gateway: nothing is fetched from elsewhere. */
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

/** The files /docs/assets serves: Swagger UI's, and the script that starts it. */
export const SWAGGER_UI_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': join(SWAGGER_UI_DIR, 'swagger-ui.css'),
  'swagger-ui.css.map': join(SWAGGER_UI_DIR, 'swagger-ui.css.map'),
  'swagger-ui-bundle.js': join(SWAGGER_UI_DIR, 'swagger-ui-bundle.js'),
  'swagger-ui-bundle.js.map': join(SWAGGER_UI_DIR, 'swagger-ui-bundle.js.map'),
  'favicon-32x32.png': join(SWAGGER_UI_DIR, 'favicon-32x32.png'),
};

export const INIT_SCRIPT_NAME = 'init.js';

/**
 * Starts Swagger UI on the document the page names. No online validator (Swagger UI
 * would otherwise send the document to one): the page works without internet access.
 */
export const INIT_SCRIPT = `window.addEventListener('DOMContentLoaded', function () {
  var element = document.getElementById('reference');
  window.ui = SwaggerUIBundle({
    url: element.getAttribute('data-openapi-url'),
    domNode: element,
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/** The browsable reference: a static page, the document loaded by the browser from the gateway. */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>ITSM platform API reference</title>
    <link rel="icon" type="image/png" href="${DOCS_ASSETS_URL}/favicon-32x32.png" />
    <link rel="stylesheet" href="${DOCS_ASSETS_URL}/swagger-ui.css" />
    <link rel="alternate" type="application/json" href="${OPENAPI_URL}" title="OpenAPI 3.1" />
    <style>
      body { margin: 0; font-family: sans-serif; }
      .documents { padding: 8px 20px; font-size: 14px; border-bottom: 1px solid #ddd; }
    </style>
  </head>
  <body>
    <p class="documents">
      Documents: <a href="${OPENAPI_URL}">OpenAPI 3.1 (HTTP API)</a> ·
      <a href="${ASYNCAPI_URL}">AsyncAPI 3.0 (Kafka events)</a>
    </p>
    <div id="reference" data-openapi-url="${OPENAPI_URL}"></div>
    <noscript>This page needs JavaScript; the document itself is at <a href="${OPENAPI_URL}">${OPENAPI_URL}</a>.</noscript>
    <script src="${DOCS_ASSETS_URL}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_ASSETS_URL}/${INIT_SCRIPT_NAME}"></script>
  </body>
</html>
`;
