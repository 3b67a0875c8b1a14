import request from 'supertest';

export const DEV_PASSWORD = process.env.ITSM_DEV_PASSWORD ?? 'itsm-dev';

/** A token from the gateway's local issuer for one of the seeded users. */
export async function tokenFor(gatewayUrl: string, username: string): Promise<string> {
  const response = await request(gatewayUrl)
    .post('/api/v1/auth/token')
    .send({ username, password: DEV_PASSWORD })
    .expect(200);
  return (response.body as { accessToken: string }).accessToken;
}
