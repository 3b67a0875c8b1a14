import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { INTERNAL_OPENAPI_PATH } from '@itsm/platform';

const DOCUMENT_ID = 'urn:itsm:openapi';

interface Document {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components?: { responses?: Record<string, unknown> };
}

/**
 * A service's own OpenAPI document, to check what it answers against what it documents
 * (what Schemathesis' response_schema_conformance does), in the service's own tests.
 */
export class OpenApiConformance {
  private readonly ajv: Ajv2020;

  private constructor(private readonly document: Document) {
    // Not strict: OpenAPI adds keywords (`discriminator`, `xml`) JSON Schema does not know.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, DOCUMENT_ID);
  }

  static async of(serviceUrl: string): Promise<OpenApiConformance> {
    const response = await fetch(new URL(INTERNAL_OPENAPI_PATH, serviceUrl));
    if (!response.ok) throw new Error(`${serviceUrl} answered ${response.status} for its document`);
    return new OpenApiConformance((await response.json()) as Document);
  }

  /** What is wrong with `body` as the JSON answer `status` of `method path` (an OpenAPI path template); empty when nothing. */
  errors(method: string, path: string, status: number, body: unknown): string[] {
    const responses = this.document.paths[path]?.[method.toLowerCase()]?.responses;
    if (!responses) return [`${method} ${path} is not documented`];
    const key = String(status) in responses ? String(status) : 'default';
    if (!(key in responses)) return [`${method} ${path} documents no ${status}`];
    const pointer = `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${key}`;
    const response = responses[key] as { $ref?: string; content?: Record<string, unknown> };
    const base = response.$ref ? response.$ref.slice(1) : pointer;
    const resolved = response.$ref
      ? (this.ajv.getSchema(`${DOCUMENT_ID}#${base}`)?.schema as typeof response | undefined)
      : response;
    const mediaType = Object.keys(resolved?.content ?? {})[0];
    if (!mediaType) return body === undefined || body === '' ? [] : ['documents no body'];
    const escaped = mediaType.replace(/~/g, '~0').replace(/\//g, '~1');
    const validate = this.ajv.getSchema(`${DOCUMENT_ID}#${base}/content/${escaped}/schema`);
    if (!validate) return [`no schema at ${base}`];
    return validate(body)
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
  }
}
