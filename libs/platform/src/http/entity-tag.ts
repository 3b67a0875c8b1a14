import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';
import { ProblemException } from '../errors/problem';

/** The entity tag of a record version: strong, since a version names exactly one representation. */
export function entityTag(version: number): string {
  return `"${version}"`;
}

export class PreconditionFailedProblem extends ProblemException {
  constructor(currentVersion: number) {
    super(
      412,
      'precondition-failed',
      'Precondition Failed',
      'The record has changed since you read it; read it again and retry.',
      {
        currentVersion,
      },
    );
  }
}

export class PreconditionRequiredProblem extends ProblemException {
  constructor() {
    super(
      428,
      'precondition-required',
      'Precondition Required',
      'Send the ETag you read as If-Match, so that no change is lost.',
    );
  }
}

/** An ETag this API issued: a record version, quoted, weak or strong. */
export const ENTITY_TAG_PATTERN = /^(?:W\/)?"(\d+)"$/;

function versionFromIfMatch(header: string): number {
  const match = ENTITY_TAG_PATTERN.exec(header.trim());
  if (!match) {
    throw new ProblemException(
      400,
      'validation-error',
      'Your request is not valid',
      'If-Match must be an ETag this API issued.',
      {
        errors: [{ field: 'If-Match', message: 'must be an ETag such as "3"' }],
      },
    );
  }
  return Number(match[1]);
}

/**
 * The version an update expects, from `If-Match` (the ETag of the record as the caller
 * read it). Updates without it are refused with 428, so a lost update cannot happen silently.
 */
export const ExpectedVersion = createParamDecorator(
  (_: unknown, context: ExecutionContext): number => {
    const header = context.switchToHttp().getRequest<Request>().header('if-match');
    if (!header) throw new PreconditionRequiredProblem();
    return versionFromIfMatch(header);
  },
);

/**
 * `If-Match` where it is optional (e.g. state transitions, which the state machine
 * already guards): the expected version when given, undefined otherwise.
 */
export const ExpectedVersionIfGiven = createParamDecorator(
  (_: unknown, context: ExecutionContext): number | undefined => {
    const header = context.switchToHttp().getRequest<Request>().header('if-match');
    return header ? versionFromIfMatch(header) : undefined;
  },
);
