import { randomUUID } from 'node:crypto';
import { type DataSource, type MigrationInterface } from 'typeorm';
import { EventTypes, Topics } from '@itsm/contracts';
import { createServiceDataSource, runServiceMigrations } from '@itsm/persistence';
import {
  TEST_DATABASE,
  cloudEvent,
  dropDatabase,
  freshDatabaseBeside,
  incidentSnapshot,
} from '@itsm/testing';
import { GENESIS_HASH } from '../src/event-archive/domain/archive-chain';
import { ArchiveChainVerifier, chainHead } from '../src/event-archive/persistence/archive-chain';
import { EventArchiveRepository } from '../src/event-archive/persistence/event-archive.repository';
import { reportingService } from '../src/service.definition';

const CHAIN_MIGRATION = 1765100000000;
const DATABASE = `${TEST_DATABASE}_chain`;

type Migration = new () => MigrationInterface;
const MIGRATIONS = reportingService.migrations as Migration[];

const timestampOf = (migration: Migration) => Number(/(\d{13})$/.exec(migration.name)?.[1]);

/**
 * An archive that existed before the chain: the migration chains its rows in sequence
 * order, with the function appends use, and appends after it continue the same chain.
 * In a database of its own, to start from rows archived before the migration.
 */
describe('the migration that chains the existing archive', () => {
  let databaseUrl: string;
  let dataSource: DataSource;

  const migrated = (migrations: readonly Migration[]) =>
    createServiceDataSource({
      databaseUrl,
      schema: reportingService.schema,
      applicationName: 'itsm-reporting-chain-migration-test',
      entities: reportingService.entities,
      migrations: [...migrations],
    });

  beforeAll(async () => {
    databaseUrl = await freshDatabaseBeside(DATABASE);
    await runServiceMigrations(
      migrated(MIGRATIONS.filter((migration) => timestampOf(migration) < CHAIN_MIGRATION)),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(DATABASE);
  });

  it('chains the rows archived before it, and appends after it continue the chain', async () => {
    const before = migrated([]);
    await before.initialize();
    for (const [index, time] of [
      '2026-01-01T00:00:00.123456Z',
      '2026-01-01T00:00:01Z',
      '2026-01-01T00:00:02Z',
    ].entries()) {
      const record = incidentSnapshot();
      await before.query(
        `INSERT INTO reporting.event_archive (event_id, topic, kafka_partition, kafka_offset, type,
                source, subject, time, event, family, record_type, record_ids)
         VALUES ($1, $2, 0, $3, $4, '/itsm/incident', $5, $6, $7::jsonb, 'incident', 'incident', ARRAY[$5])`,
        [
          randomUUID(),
          Topics.incidentEvents,
          index,
          EventTypes.incident.created,
          record.id,
          time,
          JSON.stringify({ type: EventTypes.incident.created, data: { incident: record } }),
        ],
      );
    }
    await before.destroy();

    await runServiceMigrations(migrated(MIGRATIONS));
    dataSource = migrated([]);
    await dataSource.initialize();
    const rows = await dataSource.query<{ previous_hash: string; hash: string }[]>(
      `SELECT previous_hash, hash FROM reporting.event_archive ORDER BY sequence`,
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]?.previous_hash).toBe(GENESIS_HASH);
    expect(rows[1]?.previous_hash).toBe(rows[0]?.hash);
    expect(rows[2]?.previous_hash).toBe(rows[1]?.hash);
    expect((await chainHead(dataSource.manager)).hash).toBe(rows[2]?.hash);
    const verifier = new ArchiveChainVerifier(dataSource);
    expect(await verifier.verify({})).toMatchObject({ intact: true, checked: 3, break: null });

    const record = incidentSnapshot();
    await dataSource.transaction((manager) =>
      new EventArchiveRepository(dataSource, { agentScope: 'all' }).append(manager, [
        {
          event: cloudEvent(EventTypes.incident.updated, '/itsm/incident', record.id, {
            incident: record,
            changedFields: [],
            previous: {},
          }),
          origin: { topic: Topics.incidentEvents, partition: 0, offset: '3' },
        },
      ]),
    );
    const verification = await verifier.verify({});
    expect(verification).toMatchObject({ intact: true, checked: 4, break: null });
    expect(verification.head).toEqual(verification.last);
  });
});
