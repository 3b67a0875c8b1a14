import request from 'supertest';
import { RunningPlatform, tokenFor } from '@itsm/testing';

describe('API keys for machines', () => {
  let platform: RunningPlatform;
  let admin: string;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    admin = await tokenFor(platform.gatewayUrl, 'admin');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const api = () => request(platform.gatewayUrl);

  it('are created by an admin, work where a bearer token does, and stop working once revoked', async () => {
    const created = await api()
      .post('/api/v1/api-keys')
      .set('authorization', `Bearer ${admin}`)
      .send({ name: 'alertmanager-test', roles: ['agent'], groups: ['network'] })
      .expect(201);
    const { id, key } = created.body as { id: string; key: string };
    expect(key).toMatch(/^itsm_/);

    const listed = await api()
      .get('/api/v1/api-keys')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    const entry = (listed.body as { items: Record<string, unknown>[] }).items.find(
      (item) => item.id === id,
    );
    expect(entry).toMatchObject({ name: 'alertmanager-test', roles: ['agent'], revokedAt: null });
    // `itsm_<12-character prefix>_<secret>`; the secret may itself contain underscores.
    const secret = key.slice('itsm_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const incident = {
      title: 'Disk 90% on web01',
      description: 'from monitoring',
      impact: 2,
      urgency: 2,
    };
    const viaHeader = await api()
      .post('/api/v1/incidents')
      .set('x-api-key', key)
      .send(incident)
      .expect(201);
    expect(viaHeader.body).toMatchObject({ requester: 'api-key:alertmanager-test' });
    await api()
      .post('/api/v1/incidents')
      .set('authorization', `ApiKey ${key}`)
      .send(incident)
      .expect(201);
    // The key's roles apply: an agent may not manage keys.
    await api().get('/api/v1/api-keys').set('x-api-key', key).expect(403);

    await api()
      .delete(`/api/v1/api-keys/${id}`)
      .set('authorization', `Bearer ${admin}`)
      .expect(204);
    const refused = await api()
      .post('/api/v1/incidents')
      .set('x-api-key', key)
      .send(incident)
      .expect(401);
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a key that was never issued, and key management to anyone but admins', async () => {
    await api()
      .get('/api/v1/incidents/x')
      .set('x-api-key', 'itsm_AAAAAAAAAAAA_' + 'A'.repeat(43))
      .expect(401);
    const agent = await tokenFor(platform.gatewayUrl, 'agent');
    await api()
      .post('/api/v1/api-keys')
      .set('authorization', `Bearer ${agent}`)
      .send({ name: 'x', roles: ['admin'] })
      .expect(403);
  });

  it('names each field at fault in a bad request', async () => {
    const response = await api()
      .post('/api/v1/api-keys')
      .set('authorization', `Bearer ${admin}`)
      .send({ name: 'Not Valid!', roles: ['superuser'] })
      .expect(400);
    expect(
      (response.body as { errors: { field: string }[] }).errors.map((error) => error.field).sort(),
    ).toEqual(['name', 'roles']);
  });
});
