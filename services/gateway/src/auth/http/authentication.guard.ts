import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { ProblemException } from '@itsm/platform';
import { LocalTokenIssuer, type VerifiedPrincipal } from '../domain/token-issuer';

export type AuthenticatedRequest = Request & { principal?: VerifiedPrincipal };

function bearerToken(request: Request): string | undefined {
  const header = request.header('authorization');
  const match = header ? /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(header) : null;
  return match?.[1];
}

/** Refuses every request without a valid bearer token, with 401 problem+json and a `WWW-Authenticate` challenge. */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(@Inject(LocalTokenIssuer) private readonly issuer: LocalTokenIssuer) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const token = bearerToken(request);
    if (!token) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="itsm"');
      throw new ProblemException(
        401,
        'unauthenticated',
        'Unauthenticated',
        'A bearer token is required.',
      );
    }
    try {
      request.principal = await this.issuer.verify(token);
      return true;
    } catch {
      response.setHeader('WWW-Authenticate', 'Bearer realm="itsm", error="invalid_token"');
      throw new ProblemException(
        401,
        'invalid-token',
        'Unauthenticated',
        'The bearer token is not valid.',
      );
    }
  }
}
