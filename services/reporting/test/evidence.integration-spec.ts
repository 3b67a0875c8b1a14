import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { type Caller } from '@itsm/auth';
import {
  ALL_DOMAIN_TOPICS,
  EventTypes,
  Topics,
  toKafkaRecord,
  type ChangeSnapshot,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { createServiceDataSource } from '@itsm/persistence';
import {
  OpenApiConformance,
  ServiceProcess,
  changeSnapshot,
  cloudEvent,
  connectedProducer,
  directClient,
  eventually,
  incidentSnapshot,
  queryTestDatabase,
  testEnvironment,
  testKafka,
  untilConsumerCaughtUp,
} from '@itsm/testing';
import { EvidenceService } from '../src/evidence/application/evidence.service';
import { clauseDefinition } from '../src/evidence/domain/clauses';
import {
  bundleHashOf,
  describeEntries,
  type EvidenceBundle,
} from '../src/evidence/domain/evidence-bundle';
import { EvidenceRepository } from '../src/evidence/persistence/evidence.repository';
import { entryHash } from '../src/event-archive/domain/archive-chain';
import { ArchiveChainVerifier } from '../src/event-archive/persistence/archive-chain';
import { EventArchiveRepository } from '../src/event-archive/persistence/event-archive.repository';
import { reportingService } from '../src/service.definition';

interface Verification {
  intact: boolean;
  checked: number;
  break: {
    sequence: string;
    kind: string;
    expected: string;
    found: string;
    previousSequence?: string | null;
  } | null;
}

interface BundleVerification {
  intact: boolean;
  findings: { kind: string; sequence?: string }[];
}

const ARCHIVE = 'reporting.event_archive';

/**
 * The hash-chained archive and the audit evidence built on it, through the reporting
 * process: events from Kafka archived in one chain, its verification finding edits and
 * removals made past the service (as the table's owner, trigger disabled), and evidence
 * bundles for a clause and period that verify, and fail to once edited.
 */
describe('the hash-chained archive and audit evidence', () => {
  let reporting: ServiceProcess;
  let producer: Producer;
  let dataSource: DataSource;
  // A day of its own, far from the events other suites publish now.
  const day = new Date(Date.UTC(2031, 2, 1 + Math.floor(Math.random() * 25)));
  const period = {
    from: day.toISOString(),
    to: new Date(day.getTime() + 86_400_000).toISOString(),
  };
  const at = (hours: number) => new Date(day.getTime() + hours * 3_600_000).toISOString();
  const auditor = () => directClient('reporting', reporting.url, 'auditor');

  beforeAll(async () => {
    reporting = await ServiceProcess.start('reporting');
    // Once: whatever the run published before this suite is behind the consumer, not in each wait.
    await untilConsumerCaughtUp('reporting', ALL_DOMAIN_TOPICS);
    producer = await connectedProducer(testKafka());
    dataSource = createServiceDataSource({
      databaseUrl: testEnvironment().databaseUrl,
      schema: reportingService.schema,
      applicationName: 'itsm-reporting-evidence-test',
      entities: reportingService.entities,
      migrations: [],
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await producer?.disconnect();
    await reporting?.stop();
  });

  /** A change's life as the change service publishes it, at the given hours of the day. */
  function changeHistory(hours: readonly number[]): ItsmCloudEvent[] {
    const change = changeSnapshot({ number: `CHG${String(Date.now()).slice(-7)}` });
    const as = (type: string, hour: number, fields: Partial<ChangeSnapshot>, data: object) => ({
      ...cloudEvent(type, '/itsm/change', change.id, {
        change: { ...change, ...fields },
        ...data,
      }),
      time: at(hour),
    });
    const changed = (previous: string) => ({
      changedFields: ['state'],
      previous: { state: previous },
    });
    const [raised = 1, approved = 2, authorised = 3, review = 4, closed = 5] = hours;
    return [
      as(
        EventTypes.change.created,
        raised,
        { state: 'new', approval: 'not_requested' },
        {
          changedFields: [],
          previous: {},
        },
      ),
      as(
        EventTypes.change.approvalDecided,
        approved,
        { state: 'authorize' },
        {
          decision: {
            round: 1,
            approver: 'cab_member',
            onBehalfOf: { kind: 'role', name: 'cab_member' },
            decision: 'approve',
            comment: 'backout plan reviewed',
            at: at(approved),
            retrospective: false,
            cabMeeting: null,
          },
        },
      ),
      as(EventTypes.change.authorized, authorised, { state: 'scheduled' }, changed('authorize')),
      as(EventTypes.change.stateChanged, review, { state: 'review' }, changed('implement')),
      as(
        EventTypes.change.closed,
        closed,
        { state: 'closed', reviewNotes: 'went as planned' },
        changed('review'),
      ),
    ];
  }

  const publish = async (topic: string, events: ItsmCloudEvent[]) => {
    await producer.send({ topic, messages: events.map((event) => toKafkaRecord(event)) });
    await eventually(
      async () => {
        const [row] = await queryTestDatabase<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${ARCHIVE} WHERE event_id = ANY($1)`,
          [events.map((event) => event.id)],
        );
        return row?.n === events.length ? true : undefined;
      },
      { description: 'the events in the archive' },
    );
  };

  const sequenceOf = async (eventId: string): Promise<string> => {
    const [row] = await queryTestDatabase<{ sequence: string }>(
      `SELECT sequence::text AS sequence FROM ${ARCHIVE} WHERE event_id = $1`,
      [eventId],
    );
    if (!row) throw new Error(`event ${eventId} is not archived`);
    return row.sequence;
  };

  /** Checks an answer against the service's OpenAPI document, and gives it back. */
  const documented = async <T>(method: string, path: string, status: number, body: unknown) => {
    const document = await OpenApiConformance.of(reporting.url);
    expect(document.errors(method, path, status, body)).toEqual([]);
    return body as T;
  };

  const verifyArchive = async (query: Record<string, string> = {}): Promise<Verification> =>
    documented<Verification>(
      'get',
      '/api/v1/reports/event-archive/verify',
      200,
      (await auditor().get('/api/v1/reports/event-archive/verify').query(query).expect(200)).body,
    );

  /** Runs SQL on the archive as its owner would, past the trigger that refuses edits. */
  const asOwner = async (sql: string, parameters: unknown[]): Promise<void> => {
    const client = new Client({ connectionString: testEnvironment().databaseUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`ALTER TABLE ${ARCHIVE} DISABLE TRIGGER event_archive_append_only`);
      await client.query(sql, parameters);
      await client.query(`ALTER TABLE ${ARCHIVE} ENABLE TRIGGER event_archive_append_only`);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  };

  it('archives events from Kafka in one chain, each row linked to the one before, and it verifies', async () => {
    const events = changeHistory([1, 2, 3, 4, 5]);
    await publish(Topics.changeEvents, events);
    const rows = await queryTestDatabase<{ previous_hash: string; hash: string }>(
      `SELECT previous_hash, hash FROM ${ARCHIVE} ORDER BY sequence`,
    );
    rows.forEach((row, index) => {
      if (index > 0) expect(row.previous_hash).toBe(rows[index - 1]?.hash);
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    });
    const verification = await verifyArchive();
    expect(verification).toMatchObject({ intact: true, break: null, checked: rows.length });
  });

  it('keeps one line when appends of one or several events run concurrently, as from several replicas', async () => {
    const archive = new EventArchiveRepository(dataSource, { agentScope: 'all' });
    const events = Array.from({ length: 12 }, () =>
      cloudEvent(EventTypes.incident.updated, '/itsm/incident', randomUUID(), {
        incident: incidentSnapshot(),
        changedFields: [],
        previous: {},
      }),
    );
    const consumed = events.map((event, index) => ({
      event,
      origin: { topic: Topics.incidentEvents, partition: 9, offset: String(index) },
    }));
    // Runs of 1, 2, 3 and 6 events, appended at once.
    const runs = [
      consumed.slice(0, 1),
      consumed.slice(1, 3),
      consumed.slice(3, 6),
      consumed.slice(6),
    ];
    await Promise.all(
      runs.map((run) => dataSource.transaction((manager) => archive.append(manager, run))),
    );
    expect(await verifyArchive()).toMatchObject({ intact: true, break: null });
    const archived = await queryTestDatabase<{ event_id: string }>(
      `SELECT event_id FROM ${ARCHIVE} WHERE kafka_partition = 9 ORDER BY sequence`,
    );
    // Each run's events stay together and in their order.
    const order = archived.map((row) => events.findIndex((event) => event.id === row.event_id));
    for (const run of runs) {
      const positions = run.map(({ event }) => order.indexOf(events.indexOf(event)));
      expect(positions).toEqual(positions.map((_, index) => positions[0] + index));
    }
  });

  it('refuses to edit or remove archived events, for the role the service runs as', async () => {
    const [event] = changeHistory([6]);
    if (!event) throw new Error('no event');
    await publish(Topics.changeEvents, [event]);
    await expect(
      queryTestDatabase(`UPDATE ${ARCHIVE} SET event = '{}'::jsonb WHERE event_id = $1`, [
        event.id,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      queryTestDatabase(`DELETE FROM ${ARCHIVE} WHERE event_id = $1`, [event.id]),
    ).rejects.toThrow(/append-only/);
    // Who reads an event is derived, not evidence: a migration may still reclassify it.
    await queryTestDatabase(
      `UPDATE ${ARCHIVE} SET record_ids = record_ids, family = family WHERE event_id = $1`,
      [event.id],
    );
    // An append that is not chained (a replica of an older version) is refused as transient.
    await expect(
      queryTestDatabase(
        `INSERT INTO ${ARCHIVE} (event_id, topic, kafka_partition, kafka_offset, type, source, subject, time, event, family)
         SELECT $1, topic, kafka_partition, kafka_offset, type, source, subject, time, event, family
           FROM ${ARCHIVE} WHERE event_id = $2`,
        [randomUUID(), event.id],
      ),
    ).rejects.toMatchObject({ code: '57P03', message: expect.stringMatching(/unchained/) });
  });

  it('finds an event edited past the service at its sequence, and a removed one at the row after it', async () => {
    const events = changeHistory([7, 8, 9, 10, 11]);
    await publish(Topics.changeEvents, events);
    const target = events[2];
    if (!target) throw new Error('no event');
    const sequence = await sequenceOf(target.id);
    const [original] = await queryTestDatabase<Record<string, unknown>>(
      `SELECT * FROM ${ARCHIVE} WHERE sequence = $1`,
      [sequence],
    );
    if (!original) throw new Error('no row');
    try {
      await asOwner(
        `UPDATE ${ARCHIVE} SET event = jsonb_set(event, '{data,decision}', '"reject"') WHERE sequence = $1`,
        [sequence],
      );
      const edited = await verifyArchive();
      expect(edited.intact).toBe(false);
      expect(edited.break).toMatchObject({ sequence, kind: 'content', found: original.hash });
      // A range before the edit still holds; a range over it does not.
      expect(await verifyArchive({ toSequence: String(BigInt(sequence) - 1n) })).toMatchObject({
        intact: true,
      });
      expect(
        (await verifyArchive({ fromSequence: sequence, toSequence: sequence })).break,
      ).toMatchObject({ sequence, kind: 'content' });
    } finally {
      await asOwner(`UPDATE ${ARCHIVE} SET event = $2::jsonb WHERE sequence = $1`, [
        sequence,
        JSON.stringify(original.event),
      ]);
    }
    expect(await verifyArchive()).toMatchObject({ intact: true });

    try {
      await asOwner(`DELETE FROM ${ARCHIVE} WHERE sequence = $1`, [sequence]);
      const [around] = await queryTestDatabase<{ before: string; after: string }>(
        `SELECT (SELECT max(sequence) FROM ${ARCHIVE} WHERE sequence < $1)::text AS before,
                (SELECT min(sequence) FROM ${ARCHIVE} WHERE sequence > $1)::text AS after`,
        [sequence],
      );
      const removed = await verifyArchive();
      expect(removed.intact).toBe(false);
      expect(removed.break).toMatchObject({
        sequence: around?.after,
        kind: 'link',
        found: original.hash,
        previousSequence: around?.before,
      });
    } finally {
      // Put back as it was, for the suites after this one.
      await asOwner(
        `INSERT INTO ${ARCHIVE} SELECT * FROM jsonb_populate_record(NULL::${ARCHIVE}, $1::jsonb)`,
        [JSON.stringify(original)],
      );
    }
    expect(await verifyArchive()).toMatchObject({ intact: true });
  });

  it('gives 8.5.1 evidence of a period: the change with its approval and review, nothing outside the period', async () => {
    const inside = changeHistory([12, 13, 14, 15, 16]);
    const outside = changeHistory([30, 31, 32, 33, 34]);
    await publish(Topics.changeEvents, [...inside, ...outside]);
    const bundle = await documented<EvidenceBundle>(
      'get',
      '/api/v1/reports/evidence',
      200,
      (
        await auditor()
          .get('/api/v1/reports/evidence')
          .query({ clause: '8.5.1', ...period })
          .expect(200)
      ).body,
    );
    const change = inside[0]?.subject;
    const record = bundle.records.find((candidate) => candidate.id === change);
    expect(record).toMatchObject({ kind: 'change', number: expect.stringMatching(/^CHG/) });
    expect(record?.events.map((event) => event.type)).toEqual([
      EventTypes.change.created,
      EventTypes.change.approvalDecided,
      EventTypes.change.authorized,
      EventTypes.change.stateChanged,
      EventTypes.change.closed,
    ]);
    const ids = bundle.entries.map((entry) => entry.eventId);
    for (const event of inside) expect(ids).toContain(event.id);
    for (const event of outside) expect(ids).not.toContain(event.id);
    expect(bundle.summary.byType[EventTypes.change.approvalDecided]).toBeGreaterThanOrEqual(1);
    expect(bundle.summary.records).toBe(bundle.records.length);
    for (const entry of bundle.entries)
      expect(entryHash(entry.previousHash, entry)).toBe(entry.hash);
    expect(bundle.chainHead.hash).toMatch(/^[0-9a-f]{64}$/);

    // A caller without `change:read` gets no change's events (evidence follows the archive's rule).
    const serviceLevelManager: Caller = {
      username: 'slm',
      roles: ['service_level_manager'],
      groups: [],
      kind: 'user',
    };
    const evidence = new EvidenceService(
      dataSource,
      new EvidenceRepository({ agentScope: 'all' }),
      new ArchiveChainVerifier(dataSource),
    );
    const unseen = await evidence.bundle(serviceLevelManager, {
      clause: '8.5.1',
      from: new Date(period.from),
      to: new Date(period.to),
    });
    expect(unseen.entries).toEqual([]);
    expect(unseen.summary.events).toBe(0);
  });

  it('exports a bundle that verifies, and fails to once edited or forged', async () => {
    await publish(Topics.changeEvents, changeHistory([17, 18, 19, 20, 21]));
    const response = await auditor()
      .get('/api/v1/reports/evidence/export')
      .query({ clause: '8.5.1', ...period })
      .expect(200);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="evidence-8\.5\.1-.*\.json"$/,
    );
    const bundle = response.body as EvidenceBundle;
    const verify = async (body: object) =>
      documented<BundleVerification>(
        'post',
        '/api/v1/reports/evidence/verify',
        200,
        (await auditor().post('/api/v1/reports/evidence/verify').send(body).expect(200)).body,
      );
    expect(await verify(bundle)).toMatchObject({ intact: true, findings: [] });

    const edited = structuredClone(bundle);
    const approval = edited.entries.find(
      (entry) => entry.type === EventTypes.change.approvalDecided,
    );
    if (!approval) throw new Error('no approval in the bundle');
    (approval.event as { data: { decision: { decision: string } } }).data.decision.decision =
      'reject';
    const editedResult = await verify(edited);
    expect(editedResult.intact).toBe(false);
    expect(editedResult.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'bundle_hash' }),
        expect.objectContaining({ kind: 'entry_hash', sequence: approval.sequence }),
      ]),
    );

    // Whoever recomputes every hash of an edited bundle still does not match the archive.
    approval.hash = entryHash(approval.previousHash, approval);
    edited.bundleHash = bundleHashOf(edited);
    const forged = await verify(edited);
    expect(forged.intact).toBe(false);
    expect(forged.findings).toEqual([
      expect.objectContaining({ kind: 'archive_differs', sequence: approval.sequence }),
    ]);

    const trimmed = structuredClone(bundle);
    const dropped = trimmed.entries.splice(0, 1)[0];
    Object.assign(
      trimmed,
      describeEntries(clauseDefinition('8.5.1') ?? { keyEvidence: [] }, trimmed.entries),
    );
    trimmed.bundleHash = bundleHashOf(trimmed);
    expect((await verify(trimmed)).findings).toEqual([
      { kind: 'omitted', sequence: dropped?.sequence },
    ]);
  });

  it('answers 400 naming the field for an unknown clause, a reversed period or a bad date', async () => {
    const problem = async (query: Record<string, string>) =>
      (
        await auditor()
          .get('/api/v1/reports/evidence')
          .query(query)
          .expect(400)
          .expect('Content-Type', /application\/problem\+json/)
      ).body as { errors: { field: string }[] };
    expect((await problem({ clause: '9.9.9', ...period })).errors[0]?.field).toBe('clause');
    expect(
      (await problem({ clause: '8.5.1', from: period.to, to: period.from })).errors[0]?.field,
    ).toBe('to');
    expect(
      (await problem({ clause: '8.5.1', from: 'yesterday', to: period.to })).errors[0]?.field,
    ).toBe('from');
    const clauses = await documented<{ items: { clause: string; families: string[] }[] }>(
      'get',
      '/api/v1/reports/evidence/clauses',
      200,
      (await auditor().get('/api/v1/reports/evidence/clauses').expect(200)).body,
    );
    expect(clauses.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ clause: '8.5.1', families: ['change'] })]),
    );
    await directClient('reporting', reporting.url, 'change_manager')
      .get('/api/v1/reports/evidence/clauses')
      .expect(403);
  });
});
