import {
  ForbiddenException,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request } from 'express';
import { CALLER_HEADER, InternalIdentityVerifier, ReplayCacheFull } from '../internal-identity';
import { callingService, type Caller } from '../caller';
import { callerHasPermission, type Permission } from '../permissions';
import { IS_PUBLIC, REQUIRED_PERMISSION, type RequestWithCaller } from './auth.decorators';

/** Reads the route's public flag and required permission (method first, then controller). */
export function routeAccess(
  reflector: Reflector,
  context: ExecutionContext,
): { isPublic: boolean; permission?: Permission } {
  const targets = [context.getHandler(), context.getClass()];
  return {
    isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
    permission: reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets),
  };
}

/** A 403 that names the permission the caller lacks, answered as the `forbidden` problem type. */
export class PermissionDenied extends ForbiddenException {
  constructor(
    readonly permission: Permission,
    detail: string,
  ) {
    super(detail);
  }
}

/** 403 unless the caller holds the permission: by its roles, or for a service, by `SERVICE_PERMISSIONS`. */
export function assertPermitted(caller: Caller, permission: Permission | undefined): void {
  if (!permission || callerHasPermission(caller, permission)) return;
  const service = callingService(caller);
  throw new PermissionDenied(
    permission,
    service === undefined
      ? `This needs the permission "${permission}", which your roles do not grant.`
      : `This needs the permission "${permission}", which is not granted to the ${service} service.`,
  );
}

/**
 * Every HTTP route of a service needs the identity the gateway signed for this request (or
 * one a service it trusts signed as itself, ADR 12), and the permission the route
 * declares; the service trusts no caller it cannot verify.
 */
@Injectable()
export class InternalIdentityGuard implements CanActivate {
  private readonly logger = new Logger(InternalIdentityGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: InternalIdentityVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const { isPublic, permission } = routeAccess(this.reflector, context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & RequestWithCaller>();
    try {
      // originalUrl: the request line's path and query as received, which is what the gateway signed.
      request.caller = await this.verifier.verify(request.header(CALLER_HEADER), {
        method: request.method,
        target: request.originalUrl,
      });
    } catch (error) {
      if (error instanceof ReplayCacheFull)
        throw new ServiceUnavailableException('This service is taking more requests than it can.');
      // The reason stays in the log (an unknown key id points at a rollover step missed); the caller learns nothing.
      this.logger.warn((error as Error).message);
      throw new UnauthorizedException(
        'This service answers only requests that come through the gateway.',
      );
    }
    assertPermitted(request.caller, permission);
    return true;
  }
}
