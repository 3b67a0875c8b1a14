import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { type Caller, type RecordAccessPolicy } from '@itsm/auth';
import {
  EventTypes,
  Topics,
  type CiSnapshot,
  type IncidentSnapshot,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { createServiceDataSource } from '@itsm/persistence';
import { cloudEvent, incidentSnapshot, testEnvironment } from '@itsm/testing';
import { EventArchiveRepository } from '../src/event-archive/persistence/event-archive.repository';
import { reportingService } from '../src/service.definition';

/**
 * The archive's rule applied by its query, against PostgreSQL: who reads which events,
 * page after page. Every role that reads the archive today (`report:read`) sees every
 * record, so the record-level part is exercised here with callers the repository is given
 * directly (an agent restricted to its groups, as a deployment may configure); the HTTP
 * route is covered by event-archive-http.integration-spec.ts.
 */
describe('the event archive shows each caller only the events it may read', () => {
  let dataSource: DataSource;
  // Each test's events come from a source of its own, so that a filter on it isolates them.
  const source = `/test/${randomUUID()}`;
  let sequence = 0;

  beforeAll(async () => {
    dataSource = createServiceDataSource({
      databaseUrl: testEnvironment().databaseUrl,
      schema: reportingService.schema,
      applicationName: 'itsm-reporting-access-test',
      entities: reportingService.entities,
      migrations: [],
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const archive = (policy: RecordAccessPolicy) => new EventArchiveRepository(dataSource, policy);

  const append = async (topic: string, event: ItsmCloudEvent): Promise<string> => {
    sequence += 1;
    await dataSource.transaction((manager) =>
      archive({ agentScope: 'all' }).append(manager, [
        { event, origin: { topic, partition: 0, offset: String(sequence) } },
      ]),
    );
    return event.id;
  };

  const recordEvent = (record: IncidentSnapshot, type: string = EventTypes.incident.created) =>
    append(Topics.incidentEvents, {
      ...cloudEvent(type, '', record.id, {
        [record.type]: record,
        changedFields: [],
        previous: {},
      }),
      source,
    });

  const ciEvent = (ci: Partial<CiSnapshot> & { id: string }) =>
    append(Topics.cmdbEvents, {
      ...cloudEvent(EventTypes.cmdb.ciCreated, '', ci.id, {
        ci: { ownerGroup: null, restricted: false, version: 1, ...ci },
        changedFields: [],
        previous: {},
        actor: 'configuration_manager',
        source: null,
      }),
      source,
    });

  /** Every page of the archive for this test's events, `limit` at a time: the ids, in order. */
  const readAll = async (reader: Caller, policy: RecordAccessPolicy, limit = 3) => {
    const ids: string[] = [];
    const pageSizes: number[] = [];
    let after: { value: string; sequence: string } | undefined;
    for (;;) {
      const rows = await archive(policy).find({
        reader,
        filters: { source },
        sort: { field: 'sequence', direction: 'ASC' },
        limit: limit + 1,
        after,
      });
      const page = rows.slice(0, limit);
      ids.push(...page.map((row) => row.eventId));
      pageSizes.push(page.length);
      const last = page.at(-1);
      if (rows.length <= limit || !last) return { ids, pageSizes };
      after = { value: last.sequence, sequence: last.sequence };
    }
  };

  const agent = (groups: string[]): Caller => ({
    username: 'agent-x',
    roles: ['agent'],
    groups,
    kind: 'user',
  });
  const groupsOnly: RecordAccessPolicy = { agentScope: 'groups' };

  it("restricted to its groups, an agent pages through its groups' events, each once, pages full", async () => {
    const ours = incidentSnapshot({ assignmentGroup: 'network' });
    const theirs = incidentSnapshot({ assignmentGroup: 'database' });
    const queue = incidentSnapshot({ assignmentGroup: null, requester: 'sam' });
    const request = incidentSnapshot({
      type: 'request',
      number: 'REQ0999999',
      assignmentGroup: 'database',
    });
    const visible: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      visible.push(await recordEvent({ ...ours, version: round + 1 }, EventTypes.incident.updated));
      await recordEvent({ ...theirs, version: round + 1 }, EventTypes.incident.updated);
      await recordEvent({ ...request, version: round + 1 }, EventTypes.request.updated);
      visible.push(
        await recordEvent({ ...queue, version: round + 1 }, EventTypes.incident.updated),
      );
    }
    const { ids, pageSizes } = await readAll(agent(['network']), groupsOnly);
    expect(ids).toEqual(visible);
    expect(pageSizes).toEqual([3, 3, 2]);
    // By default agents see every incident and request.
    expect((await readAll(agent(['network']), { agentScope: 'all' })).ids).toHaveLength(16);
  });

  it("shows a record's events by its current ownership: reassigned away, its history goes with it", async () => {
    const record = incidentSnapshot({ assignmentGroup: 'network' });
    const first = await recordEvent(record);
    expect((await readAll(agent(['network']), groupsOnly)).ids).toContain(first);
    await recordEvent(
      { ...record, assignmentGroup: 'database', version: 2 },
      EventTypes.incident.assigned,
    );
    const network = (await readAll(agent(['network']), groupsOnly)).ids;
    const database = (await readAll(agent(['database']), groupsOnly)).ids;
    expect(network).not.toContain(first);
    expect(database).toContain(first);
    // A late, older event does not give the record back to its old group.
    await recordEvent({ ...record, version: 1 }, EventTypes.incident.updated);
    expect((await readAll(agent(['network']), groupsOnly)).ids).not.toContain(first);
  });

  it("hides SLA events with their record, and a restricted CI's events from outside its owner group", async () => {
    const record = incidentSnapshot({ assignmentGroup: 'database' });
    await recordEvent(record);
    const sla = await append(Topics.slaEvents, {
      ...cloudEvent(EventTypes.sla.breached, '', randomUUID(), {
        timer: { recordId: record.id, recordType: 'incident' },
      }),
      source,
    });
    const vault = randomUUID();
    const open = randomUUID();
    const vaultEvent = await ciEvent({ id: vault, restricted: true, ownerGroup: 'security' });
    const openEvent = await ciEvent({ id: open });
    const relationship = randomUUID();
    const relationshipEvent = await append(Topics.cmdbEvents, {
      ...cloudEvent(EventTypes.cmdb.relationshipCreated, '', relationship, {
        relationship: { id: relationship, type: 'depends_on', sourceId: open, targetId: vault },
        actor: 'configuration_manager',
        source: null,
      }),
      source,
    });
    const outsider = (await readAll(agent(['network']), groupsOnly)).ids;
    expect(outsider).toContain(openEvent);
    for (const hidden of [sla, vaultEvent, relationshipEvent])
      expect(outsider).not.toContain(hidden);
    const owner = (await readAll(agent(['security', 'database']), groupsOnly)).ids;
    for (const shown of [sla, vaultEvent, openEvent, relationshipEvent])
      expect(owner).toContain(shown);
  });

  it('needs the read permission of the family: a problem manager reads no request events', async () => {
    const request = incidentSnapshot({ type: 'request', number: 'REQ0999998' });
    const requestEvent = await recordEvent(request, EventTypes.request.created);
    const incidentEvent = await recordEvent(incidentSnapshot());
    const problemManager: Caller = {
      username: 'problem_manager',
      roles: ['problem_manager'],
      groups: [],
      kind: 'user',
    };
    const seen = (await readAll(problemManager, { agentScope: 'all' })).ids;
    expect(seen).toContain(incidentEvent);
    expect(seen).not.toContain(requestEvent);
  });
});
