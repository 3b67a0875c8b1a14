import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';
import { type SchemaObject } from './openapi-document';

export const PROBLEM_SCHEMA = 'ProblemDocument';
/** The shared response every operation answers errors with (its `default` response). */
export const PROBLEM_RESPONSE = 'Problem';

export const PROBLEM_SCHEMA_REF = `#/components/schemas/${PROBLEM_SCHEMA}`;

/** RFC 9457 problem details as {@link ProblemDocument} renders them, in JSON Schema 2020-12. */
export const problemDocumentSchema: SchemaObject = {
  type: 'object',
  title: 'Problem details (RFC 9457)',
  description:
    'Every error of every route, as `application/problem+json`. Further members may be present (extensions).',
  required: ['type', 'title', 'status'],
  properties: {
    type: {
      type: 'string',
      format: 'uri-reference',
      description:
        'Identifies the kind of problem: `https://itsm.dev/problems/<slug>`, or `about:blank` when the status says it all.',
      examples: ['https://itsm.dev/problems/validation-error'],
    },
    title: { type: 'string', description: 'A short summary of the kind of problem.' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status code.' },
    detail: { type: 'string', description: 'What went wrong with this request.' },
    instance: {
      type: 'string',
      format: 'uri-reference',
      description: 'The path of the request that failed.',
    },
    traceId: {
      type: 'string',
      pattern: '^[0-9a-f]{32}$',
      description: 'The trace id of the request: quote it to support.',
    },
    requestId: { type: 'string', description: 'The request id.' },
    errors: {
      type: 'array',
      description: 'Each field at fault, for validation errors.',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: {
            type: 'string',
            description: 'The path of the field, e.g. `impact` or `items[2].name`.',
          },
          message: { type: 'string' },
        },
      },
    },
  },
  additionalProperties: true,
};

/** The response object of an error: a problem document as `application/problem+json`. */
export function problemResponse(description: string): Record<string, unknown> {
  return {
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_SCHEMA_REF } } },
  };
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid; `errors` names each field at fault.',
  401: 'No valid bearer token.',
  403: "The caller's roles do not grant the permission the route needs.",
  404: 'There is no such record, or the caller may not see it.',
  405: 'The path does not accept this method; `Allow` lists those it does.',
  406: 'None of the accepted media types can be answered.',
  409: 'The request conflicts with the current state of the record.',
  412: 'The record has changed since it was read (`If-Match`).',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
  422: 'The request is well-formed but cannot be carried out as asked.',
  428: 'The request must be conditional: send `If-Match`.',
  429: 'Too many requests; retry after `Retry-After` seconds.',
  500: 'Something failed on our side; quote the `traceId`.',
  502: 'The service behind the gateway failed to answer.',
  503: 'The service behind the gateway is not reachable.',
  504: 'The service behind the gateway did not answer in time.',
};

/**
 * Documents error responses of a route or controller as problem+json with the shared
 * ProblemDocument schema: `@ApiProblemResponses(400, 404)` or
 * `@ApiProblemResponses({ status: 404, description: 'No such incident.' })`.
 */
export function ApiProblemResponses(
  ...responses: (number | { status: number; description: string })[]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...responses.map((response) => {
      const status = typeof response === 'number' ? response : response.status;
      const description =
        typeof response === 'number'
          ? (DEFAULT_DESCRIPTIONS[response] ?? 'An error.')
          : response.description;
      return ApiResponse({
        status,
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_SCHEMA_REF } } },
      });
    }),
  );
}
