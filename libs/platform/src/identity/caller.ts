import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';
import { ProblemException } from '../errors/problem';

/** Who is calling, as the gateway establishes it and forwards it to the services. */
export interface Caller {
  username: string;
  roles: string[];
}

export const CALLER_HEADER = 'x-itsm-caller';

export function encodeCaller(caller: Caller): string {
  return Buffer.from(JSON.stringify(caller), 'utf8').toString('base64url');
}

export function decodeCaller(header: string | undefined): Caller | undefined {
  if (!header) return undefined;
  try {
    const value = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Partial<Caller>;
    if (typeof value.username !== 'string' || value.username.length === 0) return undefined;
    const roles = Array.isArray(value.roles)
      ? value.roles.filter((role): role is string => typeof role === 'string')
      : [];
    return { username: value.username, roles };
  } catch {
    return undefined;
  }
}

/** The caller the gateway forwarded; a request without one is refused with 401. */
export const CallerIdentity = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => {
    const request = context.switchToHttp().getRequest<Request>();
    const caller = decodeCaller(request.header(CALLER_HEADER));
    if (!caller) {
      throw new ProblemException(
        401,
        'unauthenticated',
        'Unauthenticated',
        'The request carries no caller identity.',
      );
    }
    return caller;
  },
);
