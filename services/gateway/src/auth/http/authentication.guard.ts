import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request, type Response } from 'express';
import { assertPermitted, routeAccess, type RequestWithCaller } from '@itsm/auth';
import { ProblemException } from '@itsm/platform';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { DirectoryService } from '../../directory/application/directory.service';
import { TokenVerifier } from '../domain/token-verifier';

type Credential = { kind: 'bearer'; token: string } | { kind: 'api-key'; key: string };

/** A bearer token, or an API key as `Authorization: ApiKey <key>` or `X-API-Key: <key>`. */
function credentialOf(request: Request): Credential | undefined {
  const apiKeyHeader = request.header('x-api-key');
  if (apiKeyHeader) return { kind: 'api-key', key: apiKeyHeader.trim() };
  const match = /^(Bearer|ApiKey)\s+(\S+)$/i.exec(request.header('authorization') ?? '');
  if (!match) return undefined;
  return match[1].toLowerCase() === 'bearer'
    ? { kind: 'bearer', token: match[2] }
    : { kind: 'api-key', key: match[2] };
}

/**
 * Every gateway route that is not `@Public()` needs a valid bearer token: otherwise 401
 * problem+json with a `WWW-Authenticate` challenge. Routes that declare a permission get
 * 403 when the caller's roles do not grant it.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    private readonly apiKeys: ApiKeysService,
    private readonly directory: DirectoryService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const { isPublic, permission } = routeAccess(this.reflector, context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & RequestWithCaller>();
    const response = context.switchToHttp().getResponse<Response>();
    const credential = credentialOf(request);
    if (!credential) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="itsm"');
      throw new ProblemException(
        401,
        'unauthenticated',
        'Unauthenticated',
        'A bearer token or an API key is required.',
      );
    }
    const caller =
      credential.kind === 'bearer'
        ? await this.verifier.verify(credential.token).catch(() => undefined)
        : await this.apiKeys.authenticate(credential.key);
    if (!caller) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="itsm", error="invalid_token"');
      throw new ProblemException(
        401,
        'invalid-token',
        'Unauthenticated',
        'The credentials are not valid.',
      );
    }
    // A person is also in the groups the directory API added them to (directory/domain/memberships.ts).
    request.caller = await this.directory.admit(caller);
    assertPermitted(request.caller, permission);
    return true;
  }
}
