import { type INestApplication } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { type ServiceConfig } from '../config/service-config';
import { listHttpRoutes } from './http-routes';
import {
  isHttpMethod,
  operationsOf,
  type OpenApiDocument,
  type OperationObject,
} from './openapi-document';
import {
  PROBLEM_RESPONSE,
  PROBLEM_SCHEMA,
  problemDocumentSchema,
  problemResponse,
} from './problem-responses';
import { belongsTo, operationIdOf, routeAccessOf, type RouteAccess } from './route-access';
import { closeRequestBodySchemas, documentIfMatchHeaders } from './request-conventions';
import { toOpenApi31 } from './to-openapi-31';
import { documentCsvExports } from './csv-responses';

/** Where every service serves its own document. Not under /api/v1: the gateway never forwards it. */
export const INTERNAL_OPENAPI_PATH = '/internal/openapi.json';
/** Where every service lists the routes its HTTP server serves (method and Express path). */
export const INTERNAL_ROUTES_PATH = '/internal/routes';

export const BEARER_SCHEME = 'bearer';
export const REQUIRED_PERMISSION_EXTENSION = 'x-required-permission';

let ownDocument: OpenApiDocument | undefined;

/** This process's own OpenAPI document, as {@link serveOpenApiDocument} generated it. */
export function ownOpenApiDocument(): OpenApiDocument {
  if (!ownDocument) throw new Error('the OpenAPI document is made when the service boots');
  return ownDocument;
}

function addResponse(operation: OperationObject, status: string, response: unknown): void {
  operation.responses ??= {};
  operation.responses[status] ??= response;
}

/**
 * Applies what the guards enforce to the generated operations: public routes need no
 * token, the others a bearer token (401) and the permission they declare (403); every
 * operation answers errors as problem+json. Catch-all routes are dropped.
 */
export function applyRouteAccess(document: OpenApiDocument, routes: RouteAccess[]): void {
  const routeOf = (operationId: unknown) =>
    typeof operationId === 'string'
      ? routes.find((candidate) => belongsTo(operationId, candidate))
      : undefined;
  // Catch-alls first, under whatever method name the generator gave them (`search` included).
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [key, value] of Object.entries(item)) {
      if (routeOf((value as { operationId?: unknown } | null)?.operationId)?.catchAll) {
        delete item[key];
      }
    }
    if (!Object.keys(item).some(isHttpMethod)) delete document.paths![path];
  }
  for (const { operation } of operationsOf(document)) {
    const route = routeOf(operation.operationId);
    if (route?.isPublic) {
      operation.security = [];
    } else {
      addResponse(operation, '401', problemResponse('No valid bearer token.'));
    }
    if (route?.permission) {
      operation[REQUIRED_PERMISSION_EXTENSION] = route.permission;
      const needs = `Needs the permission \`${route.permission}\`.`;
      operation.description = operation.description
        ? `${operation.description}\n\n${needs}`
        : needs;
      addResponse(
        operation,
        '403',
        problemResponse(`The caller's roles do not grant \`${route.permission}\`.`),
      );
    }
    addResponse(operation, 'default', { $ref: `#/components/responses/${PROBLEM_RESPONSE}` });
  }
}

/** Generates the service's OpenAPI 3.1 document from its controllers and decorators. */
export function generateOpenApiDocument(
  app: INestApplication,
  config: ServiceConfig,
): OpenApiDocument {
  const base = new DocumentBuilder()
    .setTitle(`ITSM ${config.serviceName} service`)
    .setDescription(
      `The HTTP API of the ${config.serviceName} service, generated from its code. The public API is the gateway's \`/api/v1/openapi.json\`, which merges every service's \`/api/v1\` routes.`,
    )
    .setVersion('v1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An access token from the identity provider (or, in local mode, `POST /api/v1/auth/token`).',
      },
      BEARER_SCHEME,
    )
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  const generated = SwaggerModule.createDocument(app, base, {
    operationIdFactory: operationIdOf,
  }) as unknown as OpenApiDocument;
  const document = toOpenApi31(generated);
  applyRouteAccess(document, routeAccessOf(app));
  closeRequestBodySchemas(document);
  documentIfMatchHeaders(document);
  documentCsvExports(document);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, [PROBLEM_SCHEMA]: problemDocumentSchema },
    responses: {
      ...document.components?.responses,
      [PROBLEM_RESPONSE]: problemResponse('An error, as RFC 9457 problem details.'),
    },
  };
  return document;
}

/**
 * Generates the service's OpenAPI 3.1 document and serves it at
 * {@link INTERNAL_OPENAPI_PATH}, with the routes the HTTP server serves at
 * {@link INTERNAL_ROUTES_PATH}. Call before `listen`: both are registered ahead of the
 * application's own routes and guards, so the gateway can read them without a caller
 * identity.
 */
export function serveOpenApiDocument(app: NestExpressApplication, config: ServiceConfig): void {
  const document = generateOpenApiDocument(app, config);
  ownDocument = document;
  const body = JSON.stringify(document);
  const server = app.getHttpAdapter().getInstance();
  server.get(INTERNAL_OPENAPI_PATH, (_request: Request, response: Response) => {
    response.type('application/json').setHeader('cache-control', 'no-cache').send(body);
  });
  server.get(INTERNAL_ROUTES_PATH, (_request: Request, response: Response) => {
    response.type('application/json').setHeader('cache-control', 'no-cache');
    response.send(JSON.stringify(listHttpRoutes(app)));
  });
}
