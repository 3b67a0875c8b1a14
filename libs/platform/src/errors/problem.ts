import { HttpException } from '@nestjs/common';

/** A field at fault in a request, as problem+json `errors` entries carry it. */
export interface FieldError {
  /** A JSON-pointer-like path to the field, e.g. `impact` or `items[2].name`. */
  field: string;
  message: string;
}

/** RFC 9457 problem details, with the extensions this platform adds. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  traceId?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_TYPE_BASE = 'https://itsm.dev/problems/';

export function problemType(slug: string): string {
  return `${PROBLEM_TYPE_BASE}${slug}`;
}

/**
 * An error with a stable type, answered as problem+json. Domain modules throw these (or
 * map their own errors to them); the filter renders them.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly slug: string,
    readonly title: string,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super({ title, detail }, status);
  }

  get detail(): string | undefined {
    return (this.getResponse() as { detail?: string }).detail;
  }
}

export class ValidationProblem extends ProblemException {
  constructor(readonly fieldErrors: FieldError[]) {
    super(
      400,
      'validation-error',
      'Your request is not valid',
      fieldErrors.map((error) => `${error.field}: ${error.message}`).join('; '),
      { errors: fieldErrors },
    );
  }
}

export class NotFoundProblem extends ProblemException {
  constructor(what: string, id: string) {
    super(
      404,
      'not-found',
      `${what} not found`,
      `There is no ${what.toLowerCase()} with id ${id}.`,
    );
  }
}
