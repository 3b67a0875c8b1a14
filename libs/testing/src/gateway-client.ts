import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { InternalIdentitySigner } from '@itsm/auth';
import { AlertmanagerProcess, type AlertmanagerOptions } from './alertmanager';
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

/** The identity the gateway would forward for a seeded user, to call a service directly. */
export function internalIdentityFor(
  username: string,
  roles: string[] = [username],
  groups: string[] = [],
): Promise<string> {
  return new InternalIdentitySigner(testEnvironment().internalTokenSecret).sign({
    username,
    roles,
    groups,
    kind: 'user',
  });
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
