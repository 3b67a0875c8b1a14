import { generateKeyPairSync } from 'node:crypto';
import {
  ForbiddenException,
  Logger,
  UnauthorizedException,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Caller } from '../caller';
import {
  CALLER_HEADER,
  InternalIdentitySigner,
  InternalIdentityVerifier,
  ServiceIdentitySigner,
  loadSigningKey,
  loadVerificationKeys,
} from '../internal-identity';
import { type Permission } from '../permissions';
import { RequirePermission, type RequestWithCaller } from './auth.decorators';
import { InternalIdentityGuard } from './internal-identity.guard';

function pemPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Routes of the cmdb service as far as the guard sees them: a handler and its permission. */
class CmdbRoutes {
  @RequirePermission('cmdb:read')
  impact(): void {}

  @RequirePermission('cmdb:write')
  update(): void {}
}

const ROUTES: Record<Permission & ('cmdb:read' | 'cmdb:write'), () => void> = {
  'cmdb:read': CmdbRoutes.prototype.impact,
  'cmdb:write': CmdbRoutes.prototype.update,
};

function httpContext(
  handler: () => void,
  request: { method: string; originalUrl: string; identity?: string },
): { context: ExecutionContext; request: RequestWithCaller } {
  const incoming = {
    method: request.method,
    originalUrl: request.originalUrl,
    header: (name: string) => (name === CALLER_HEADER ? request.identity : undefined),
  } as unknown as RequestWithCaller;
  const context = {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => CmdbRoutes,
    switchToHttp: () => ({ getRequest: () => incoming }),
  } as unknown as ExecutionContext;
  return { context, request: incoming };
}

describe('the guard of a service that takes calls from another service as itself', () => {
  const gateway = pemPair();
  const change = pemPair();
  const impact = { method: 'POST', originalUrl: '/api/v1/cis/impact' };
  let guard: InternalIdentityGuard;
  let asChange: ServiceIdentitySigner;
  let asGateway: InternalIdentitySigner;

  beforeAll(async () => {
    const verifier = new InternalIdentityVerifier(
      await loadVerificationKeys(gateway.publicPem, 'GATEWAY'),
      {
        service: 'cmdb',
        replayCacheSize: 1000,
        trustedServices: new Map([
          ['change', await loadVerificationKeys(change.publicPem, 'TRUSTED')],
        ]),
      },
    );
    guard = new InternalIdentityGuard(new Reflector(), verifier);
    asChange = new ServiceIdentitySigner(await loadSigningKey(change.privatePem, 'SIGNING'), {
      service: 'change',
      ttlSeconds: 5,
    });
    asGateway = new InternalIdentitySigner(await loadSigningKey(gateway.privatePem, 'SIGNING'), {
      ttlSeconds: 5,
    });
  });

  const signedByChange = async (permission: keyof typeof ROUTES) =>
    httpContext(ROUTES[permission], {
      ...impact,
      identity: await asChange.sign({
        service: 'cmdb',
        method: impact.method,
        target: impact.originalUrl,
      }),
    });

  it('lets the service do what SERVICE_PERMISSIONS grants it, as itself', async () => {
    const { context, request } = await signedByChange('cmdb:read');
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.caller).toEqual({
      username: 'service:change',
      roles: [],
      groups: [],
      kind: 'service',
    });
  });

  it('answers 403 for a permission not granted to the service, naming it', async () => {
    const { context } = await signedByChange('cmdb:write');
    const refusal = guard.canActivate(context);
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenException);
    await expect(refusal).rejects.toThrow(
      /"cmdb:write", which is not granted to the change service/,
    );
  });

  it('answers 401 for an identity it cannot verify', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { context } = httpContext(ROUTES['cmdb:read'], { ...impact, identity: 'not-a-token' });
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('still takes the gateway’s identities, with the permissions of the caller’s roles', async () => {
    const manager: Caller = {
      username: 'cm',
      roles: ['configuration_manager'],
      groups: [],
      kind: 'user',
    };
    const identity = () =>
      asGateway.sign(manager, { service: 'cmdb', method: 'POST', target: impact.originalUrl });
    const read = httpContext(ROUTES['cmdb:read'], { ...impact, identity: await identity() });
    await expect(guard.canActivate(read.context)).resolves.toBe(true);
    expect(read.request.caller).toEqual(manager);
    const write = httpContext(ROUTES['cmdb:write'], { ...impact, identity: await identity() });
    await expect(guard.canActivate(write.context)).resolves.toBe(true);
  });
});
