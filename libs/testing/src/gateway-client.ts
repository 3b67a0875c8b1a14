import request from 'supertest';
import { InternalIdentitySigner } from '@itsm/auth';
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
