import { randomUUID } from 'node:crypto';
import { type ClientRequest } from 'node:http';
import request, { type Test } from 'supertest';
import {
  CALLER_HEADER,
  InternalIdentitySigner,
  ServiceIdentitySigner,
  loadSigningKey,
  type Caller,
  type IdentityBinding,
} from '@itsm/auth';
import { AlertmanagerProcess, type AlertmanagerOptions } from './alertmanager';
import { type ServiceName } from './service-process';
import { testEnvironment } from './test-environment';

export const DEV_PASSWORD = process.env.ITSM_DEV_PASSWORD ?? 'itsm-dev';

/** A token from the gateway's local issuer for one of the seeded users. */
export async function tokenFor(gatewayUrl: string, username: string): Promise<string> {
  const response = await request(gatewayUrl)
    .post('/api/v1/auth/token')
    .send({ username, password: DEV_PASSWORD })
    .expect(200);
  return (response.body as { accessToken: string }).accessToken;
}

let runSigner: Promise<InternalIdentitySigner> | undefined;

/** Signs as the run's gateway does, with the run's private key (imported once). */
function gatewaySigner(): Promise<InternalIdentitySigner> {
  runSigner ??= loadSigningKey(
    testEnvironment().internalIdentity.signingKey,
    'ITSM_INTERNAL_IDENTITY_SIGNING_KEY',
  ).then((key) => new InternalIdentitySigner(key, { ttlSeconds: 5 }));
  return runSigner;
}

const serviceSigners = new Map<string, Promise<ServiceIdentitySigner>>();

/**
 * Signs as a calling service of the run does when it calls another as itself (ADR 12), with
 * that service's private key of the run (see `SERVICE_CALLS`).
 */
export function serviceIdentitySignerFor(service: string): Promise<ServiceIdentitySigner> {
  let signer = serviceSigners.get(service);
  if (!signer) {
    const key = testEnvironment().serviceIdentity.signingKeys[service];
    if (!key) throw new Error(`${service} calls no other service as itself in this run`);
    signer = loadSigningKey(key, 'ITSM_SERVICE_IDENTITY_SIGNING_KEY').then(
      (signingKey) => new ServiceIdentitySigner(signingKey, { service, ttlSeconds: 5 }),
    );
    serviceSigners.set(service, signer);
  }
  return signer;
}

/** A seeded user (named after their role) or a caller spelled out. */
export type DirectCaller = string | Caller;

function callerOf(caller: DirectCaller): Caller {
  return typeof caller === 'string'
    ? { username: caller, roles: [caller], groups: [], kind: 'user' }
    : caller;
}

/**
 * The identity the gateway would forward to `service` for one request: good for that
 * method, path and query, once, for a few seconds.
 */
export async function internalIdentityFor(
  service: ServiceName,
  request: IdentityBinding,
  caller: DirectCaller,
): Promise<string> {
  return (await gatewaySigner()).sign(callerOf(caller), { ...request, service });
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type DirectClient = Record<Method, (path: string) => Test>;

/**
 * Calls a service directly, as the gateway would for `caller`: each request gets an
 * identity of its own, signed as it is sent.
 */
export function directClient(
  service: ServiceName,
  baseUrl: string,
  caller: DirectCaller,
): DirectClient {
  const call = (method: Method) => (path: string) => {
    const test = request(baseUrl)[method](path);
    const send = test.end.bind(test);
    // The request line is final only once the request is built (after any .query()), and
    // the identity is bound to it; superagent builds it on request(), before sending.
    test.end = (callback) => {
      const outgoing = (test as unknown as { request(): ClientRequest }).request();
      internalIdentityFor(service, { method: outgoing.method, target: outgoing.path }, caller).then(
        (identity) => {
          outgoing.setHeader(CALLER_HEADER, identity);
          send(callback);
        },
        (error: unknown) => callback?.(error, undefined as never),
      );
      return test;
    };
    return test;
  };
  return {
    get: call('get'),
    post: call('post'),
    put: call('put'),
    patch: call('patch'),
    delete: call('delete'),
  };
}

/**
 * A real Alertmanager whose webhook posts to the gateway's Alertmanager integration with
 * a fresh API key of the `agent` role, as an operator would wire it up.
 */
export async function alertmanagerForGateway(
  gatewayUrl: string,
  options: Omit<AlertmanagerOptions, 'webhookUrl' | 'authorization'> = {},
): Promise<AlertmanagerProcess> {
  const admin = await tokenFor(gatewayUrl, 'admin');
  const created = await request(gatewayUrl)
    .post('/api/v1/api-keys')
    .set('authorization', `Bearer ${admin}`)
    .send({ name: `alertmanager-${randomUUID().slice(0, 8)}`, roles: ['agent'] })
    .expect(201);
  return AlertmanagerProcess.start({
    ...options,
    webhookUrl: `${gatewayUrl}/api/v1/integrations/alertmanager`,
    authorization: { type: 'ApiKey', credentials: (created.body as { key: string }).key },
  });
}
