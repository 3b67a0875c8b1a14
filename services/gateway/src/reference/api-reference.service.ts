import { Inject, Injectable, Logger } from '@nestjs/common';
import { buildAsyncApiDocument, type AsyncApiDocument } from '@itsm/contracts';
import {
  INTERNAL_OPENAPI_PATH,
  SERVICE_CONFIG,
  inAllowOrder,
  operationsOf,
  ownOpenApiDocument,
  type OpenApiDocument,
  type ServiceConfig,
} from '@itsm/platform';
import {
  GATEWAY_CONFIG,
  upstreamUrl,
  type GatewayConfig,
  type UpstreamService,
} from '../config/gateway.config';
import {
  UNAVAILABLE_SERVICES_EXTENSION,
  mergeOpenApiDocuments,
  type DocumentSource,
} from './openapi-merger';

/** Every upstream service, checked by the compiler against {@link UpstreamService}. */
const UPSTREAMS: Record<UpstreamService, true> = {
  incident: true,
  problem: true,
  change: true,
  slm: true,
  cmdb: true,
  reporting: true,
};

/** How long a merged document is served before the services are asked again. */
export const OPENAPI_CACHE_MS = 10_000;
/** The most a reference request waits for one service's document. */
const FETCH_TIMEOUT_MS = 3_000;

const INFO: OpenApiDocument['info'] = {
  title: 'ITSM platform API',
  version: 'v1',
  description:
    'The public API, served by the gateway: its own routes and the `/api/v1` routes of every service, merged from the documents the services generate from their code. Every route needs a bearer token unless it says otherwise; every error is RFC 9457 `application/problem+json`. The events the platform publishes are described in AsyncAPI at `/api/v1/asyncapi.json`.',
};

/** An OpenAPI path template as a regular expression: each `{parameter}` is one path segment. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

const parameterCount = (template: string) => template.split('{').length - 1;

function isOpenApiDocument(value: unknown): value is OpenApiDocument {
  const candidate = value as Partial<OpenApiDocument> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.openapi === 'string' &&
    typeof candidate.paths === 'object'
  );
}

/**
 * The reference documents of the public API: the OpenAPI document merged from the
 * gateway's own and every service's, cached briefly, and the AsyncAPI document of the
 * events, built once from the contracts.
 */
@Injectable()
export class ApiReferenceService {
  private readonly logger = new Logger('ApiReference');
  private cached?: { document: OpenApiDocument; expiresAt: number };
  private pending?: Promise<OpenApiDocument>;
  private asyncApi?: AsyncApiDocument;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly gateway: GatewayConfig,
    @Inject(SERVICE_CONFIG) private readonly service: ServiceConfig,
  ) {}

  /** The merged OpenAPI document; services that do not answer are left out and named. */
  async openApiDocument(): Promise<OpenApiDocument> {
    if (this.cached && this.cached.expiresAt > Date.now()) return this.cached.document;
    this.pending ??= this.merge().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /**
   * The methods the public API documents for a concrete path (`/api/v1/cis/<id>`), upper
   * case; empty when it documents no such path; undefined when the service that owns it
   * did not hand in its document, so nobody can tell.
   */
  async documentedMethods(path: string, owner: UpstreamService): Promise<string[] | undefined> {
    const document = await this.openApiDocument();
    if ((document[UNAVAILABLE_SERVICES_EXTENSION] as string[] | undefined)?.includes(owner))
      return undefined;
    const matching = [...operationsOf(document)].filter((operation) =>
      templatePattern(operation.path).test(path),
    );
    // A literal segment beats a parameter (OpenAPI's rule): `/cis/impact` is not `/cis/{id}`.
    const fewest = Math.min(...matching.map((operation) => parameterCount(operation.path)));
    return inAllowOrder(
      new Set(
        matching
          .filter((operation) => parameterCount(operation.path) === fewest)
          .map((operation) => operation.method.toUpperCase()),
      ),
    );
  }

  asyncApiDocument(): AsyncApiDocument {
    this.asyncApi ??= buildAsyncApiDocument({
      brokers: this.service.env.KAFKA_BROKERS,
      partitions: this.service.env.KAFKA_TOPIC_PARTITIONS,
      consumerGroupPrefix: this.service.env.KAFKA_CONSUMER_GROUP_PREFIX,
    });
    return this.asyncApi;
  }

  private async merge(): Promise<OpenApiDocument> {
    const names = Object.keys(UPSTREAMS) as UpstreamService[];
    const fetched = await Promise.all(names.map((name) => this.fetchDocument(name)));
    const sources: DocumentSource[] = [{ name: 'gateway', document: ownOpenApiDocument() }];
    const unavailable: string[] = [];
    names.forEach((name, index) => {
      const document = fetched[index];
      if (document) sources.push({ name, document });
      else unavailable.push(name);
    });
    const document = mergeOpenApiDocuments(sources, { info: INFO, unavailable });
    this.cached = { document, expiresAt: Date.now() + OPENAPI_CACHE_MS };
    return document;
  }

  private async fetchDocument(service: UpstreamService): Promise<OpenApiDocument | undefined> {
    const url = new URL(INTERNAL_OPENAPI_PATH, upstreamUrl(this.gateway, service));
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(Math.min(FETCH_TIMEOUT_MS, this.gateway.UPSTREAM_TIMEOUT_MS)),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`it answered ${response.status}`);
      const document: unknown = await response.json();
      if (!isOpenApiDocument(document)) throw new Error('it answered no OpenAPI document');
      return document;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`the ${service} service's OpenAPI document is left out: ${reason}`);
      return undefined;
    }
  }
}
