import request from 'supertest';
import { RecordsApi, RunningPlatform, tokenFor } from '@itsm/testing';

interface ChangeBody {
  id: string;
  risk: string;
  riskSource: string | null;
  riskReasons: string[];
  [field: string]: unknown;
}

interface Ci {
  id: string;
  name: string;
}

const DAY = 24 * 3600 * 1000;
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

function plannedIn(days: number): { plannedStart: string; plannedEnd: string } {
  const start = new Date(Date.now() + days * DAY);
  return {
    plannedStart: start.toISOString(),
    plannedEnd: new Date(start.getTime() + 2 * 3600_000).toISOString(),
  };
}

/**
 * A change's computed risk through the gateway: each source alone and combined, the blast
 * radius read from a real CMDB graph built through the cmdb API.
 */
describe('change risk', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let database: Ci;
  let shop: Ci;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change', 'cmdb']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    const admin = await tokenFor(platform.gatewayUrl, 'admin');
    const post = async (path: string, body: object): Promise<Ci> => {
      const response = await request(platform.gatewayUrl)
        .post(path)
        .set('authorization', `Bearer ${admin}`)
        .send(body);
      expect([response.status, response.body]).toEqual([201, expect.anything()]);
      return response.body as Ci;
    };
    // The shop (most critical) is provided by an application that depends on the database.
    const prefix = unique('risk');
    database = await post('/api/v1/cis', { class: 'application', name: `${prefix}-db` });
    const app = await post('/api/v1/cis', { class: 'application', name: `${prefix}-app` });
    shop = await post('/api/v1/cis', {
      class: 'business_service',
      name: `${prefix}-shop`,
      criticality: 1,
    });
    await post('/api/v1/relationships', {
      type: 'depends_on',
      sourceId: app.id,
      targetId: database.id,
    });
    await post('/api/v1/relationships', { type: 'provides', sourceId: app.id, targetId: shop.id });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function raise(body: object): Promise<ChangeBody> {
    const response = await manager.create('changes', { title: 'Tune the database', ...body });
    if (response.status !== 201) {
      throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body as ChangeBody;
  }

  it('is low with nothing to say against the change, and says why', async () => {
    const change = await raise(plannedIn(30));
    expect(change.risk).toBe('low');
    expect(change.riskReasons.join(' ')).toMatch(/questionnaire/i);
  });

  it('reads the blast radius from the CMDB: a most critical service upstream makes it high', async () => {
    const change = await raise({ ...plannedIn(30), ciIds: [database.id] });
    expect(change).toMatchObject({ risk: 'high', riskSource: 'blast_radius' });
    expect(change.riskReasons.join(' ')).toContain(shop.name);
  });

  it('applies the ordered conditions: a very short lead time makes a normal change high', async () => {
    const change = await raise(plannedIn(1));
    expect(change).toMatchObject({ risk: 'high', riskSource: 'condition' });
    expect(change.riskReasons[0]).toMatch(/lead time/i);
  });

  it('scores the questionnaire, and names an answer it does not know', async () => {
    const change = await raise({
      ...plannedIn(30),
      riskAnswers: { experience: 'never', tested: 'no', backout: 'none', outage: 'yes' },
    });
    expect(change).toMatchObject({ risk: 'very_high', riskSource: 'questionnaire' });
    const unknown = await manager
      .create('changes', { title: 'x', ...plannedIn(30), riskAnswers: { colour: 'blue' } })
      .expect(400);
    expect(JSON.stringify(unknown.body)).toContain('riskAnswers.colour');

    const partial = await raise({ ...plannedIn(30), riskAnswers: { experience: 'often' } });
    const read = await manager.call('get', `/api/v1/changes/${partial.id}/risk`).expect(200);
    expect(read.body).toMatchObject({
      questionnaire: { id: 'normal', complete: false, missing: ['tested', 'backout', 'outage'] },
    });
  });

  it("weighs the assignment group's record: failed changes make the next one high", async () => {
    const group = unique('team');
    for (let index = 0; index < 5; index += 1) {
      const failed = await raise({ title: `Failed ${index}`, model: 'emergency' });
      await manager
        .transition('changes', failed.id, {
          to: 'authorize',
          assignmentGroup: group,
          ...plannedIn(0),
        })
        .expect(200);
      await manager
        .transition('changes', failed.id, { to: 'implement', reason: 'Outage' })
        .expect(200);
      await manager
        .transition('changes', failed.id, {
          to: 'review',
          closeCode: index < 2 ? 'backed_out' : 'successful',
        })
        .expect(200);
    }
    const next = await raise({ ...plannedIn(30), assignmentGroup: group });
    expect(next).toMatchObject({ risk: 'high', riskSource: 'group_record' });
    expect(next.riskReasons.join(' ')).toContain(group);
  });

  it('takes the highest source when several speak, keeping every reason', async () => {
    const change = await raise({ ...plannedIn(3), ciIds: [database.id] });
    expect(change).toMatchObject({ risk: 'high', riskSource: 'blast_radius' });
    expect(change.riskReasons[0]).toContain(shop.name);
    expect(change.riskReasons[1]).toMatch(/lead time/i);
  });

  it('computes it again when what it reads changes', async () => {
    const change = await raise(plannedIn(30));
    expect(change.risk).toBe('low');
    const changed = await manager.patch('changes', change.id, { ciIds: [database.id] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ risk: 'high', riskSource: 'blast_radius' });
  });

  it('says so, and counts it moderate, when the CMDB does not answer', async () => {
    await platform.service('cmdb').stop();
    const change = await raise({ ...plannedIn(30), ciIds: [database.id] });
    expect(change).toMatchObject({ risk: 'moderate', riskSource: 'blast_radius' });
    expect(change.riskReasons.join(' ')).toMatch(/CMDB/);
  });
});
