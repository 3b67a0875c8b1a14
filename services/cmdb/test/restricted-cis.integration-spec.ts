import { ServiceProcess } from '@itsm/testing';
import { cmdbCaller, unique, type CmdbCall } from './support/cmdb-client';

interface Ci {
  id: string;
  name: string;
  restricted: boolean;
  ownerGroup: string | null;
  version: number;
}

interface Impact {
  reachedCount: number;
  withheldCount: number;
  items: { ciId: string; path: string[] }[];
}

/**
 * A restricted CI (a security appliance) is seen by its owner group and by those who see
 * every record; for anyone else it does not exist: 404 on every read, absent from lists,
 * relationships and history, withheld (counted only) from impact analysis.
 */
describe('restricted CIs', () => {
  let cmdb: ServiceProcess;
  let manager: CmdbCall;
  let outsider: CmdbCall;
  let owner: CmdbCall;
  let vault: Ci;
  let app: Ci;
  let web: Ci;
  let relationshipId: string;

  beforeAll(async () => {
    cmdb = await ServiceProcess.start('cmdb');
    manager = cmdbCaller(cmdb.url);
    outsider = cmdbCaller(cmdb.url, 'agent', ['network']);
    owner = cmdbCaller(cmdb.url, 'agent', ['security'], ['agent']);
    const create = async (body: object): Promise<Ci> => {
      const response = await manager('post', '/api/v1/cis', body);
      expect(response.status).toBe(201);
      return response.body as Ci;
    };
    const prefix = unique('vault');
    vault = await create({
      class: 'application',
      name: prefix,
      ownerGroup: 'security',
      restricted: true,
      attributes: { description: 'the secrets vault' },
    });
    app = await create({ class: 'application', name: `${prefix}-app` });
    web = await create({ class: 'application', name: `${prefix}-web` });
    // app -> vault -> web: what depends on web goes through the restricted vault.
    const relate = async (source: Ci, target: Ci) => {
      const response = await manager('post', '/api/v1/relationships', {
        type: 'depends_on',
        sourceId: source.id,
        targetId: target.id,
      });
      expect(response.status).toBe(201);
      return (response.body as { id: string }).id;
    };
    relationshipId = await relate(app, vault);
    await relate(vault, web);
  });

  afterAll(async () => {
    await cmdb?.stop();
  });

  it('needs an owner group, and who may change CIs sets it', async () => {
    const response = await manager('post', '/api/v1/cis', {
      class: 'application',
      name: unique('orphan'),
      restricted: true,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [{ field: 'ownerGroup' }] });
    expect(vault).toMatchObject({ restricted: true, ownerGroup: 'security' });
    const agent = await owner(
      'patch',
      `/api/v1/cis/${vault.id}`,
      { restricted: false },
      {
        'if-match': `"${vault.version}"`,
      },
    );
    expect(agent.status).toBe(403);
  });

  it('is 404 on every read for an agent outside its owner group', async () => {
    for (const path of [
      `/api/v1/cis/${vault.id}`,
      `/api/v1/cis/${vault.id}?asOf=${new Date().toISOString()}`,
      `/api/v1/cis/${vault.id}/history`,
      `/api/v1/cis/${vault.id}/impact`,
      `/api/v1/relationships/${relationshipId}`,
    ]) {
      const response = await outsider('get', path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    const impact = await outsider('post', '/api/v1/cis/impact', { ciIds: [vault.id, app.id] });
    expect(impact.status).toBe(400);
    expect(impact.body).toMatchObject({ errors: [{ field: 'ciIds[0]' }] });
  });

  it('is absent from lists, relationships and history for them', async () => {
    const prefix = vault.name;
    const names = async (call: CmdbCall, query: string) =>
      (
        (await call('get', `/api/v1/cis?search=${prefix}&limit=100${query}`)).body as {
          items: Ci[];
        }
      ).items.map((ci) => ci.name);
    expect((await names(outsider, '')).sort()).toEqual([`${prefix}-app`, `${prefix}-web`]);
    expect(await names(outsider, '&restricted=true')).toEqual([]);
    expect(await names(manager, '&restricted=true')).toEqual([prefix]);
    const relationships = await outsider('get', `/api/v1/relationships?ciId=${app.id}`);
    expect((relationships.body as { items: unknown[] }).items).toEqual([]);
    const history = await outsider('get', `/api/v1/cis/${app.id}/history`);
    expect(
      (history.body as { items: { kind: string }[] }).items.map((entry) => entry.kind),
    ).toEqual(['created']);
  });

  it('is withheld from impact analysis: counted, never named, a step in paths', async () => {
    const read = async (call: CmdbCall) =>
      (await call('get', `/api/v1/cis/${web.id}/impact?direction=upstream`)).body as Impact;
    const hidden = await read(outsider);
    expect(hidden).toMatchObject({ reachedCount: 2, withheldCount: 1 });
    expect(hidden.items).toEqual([
      expect.objectContaining({ ciId: app.id, path: [web.id, 'restricted', app.id] }),
    ]);
    expect(JSON.stringify(hidden)).not.toContain(vault.id);
    const seen = await read(owner);
    expect(seen).toMatchObject({ reachedCount: 2, withheldCount: 0 });
    expect(seen.items.map((item) => item.ciId)).toEqual([vault.id, app.id]);
  });

  it('is seen whole by its owner group and by the configuration manager', async () => {
    for (const call of [owner, manager]) {
      expect((await call('get', `/api/v1/cis/${vault.id}`)).body).toMatchObject({
        id: vault.id,
        restricted: true,
      });
      expect((await call('get', `/api/v1/relationships/${relationshipId}`)).status).toBe(200);
      const history = await call('get', `/api/v1/cis/${app.id}/history`);
      expect((history.body as { items: unknown[] }).items).toHaveLength(2);
    }
  });
});
