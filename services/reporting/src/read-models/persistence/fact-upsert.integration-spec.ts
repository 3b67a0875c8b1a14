import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type IncidentSnapshot, type SlaTimerSnapshot } from '@itsm/contracts';
import { changeSnapshot, incidentSnapshot, testEnvironment } from '@itsm/testing';
import { CHANGES } from '../domain/changes.projection';
import { foldFacts, type FactRow } from '../domain/fact-table';
import { project, type ProjectedEvent, type ProjectionDefinition } from '../domain/projection';
import { SERVICE_RECORDS } from '../domain/service-records.projection';
import { SLA_TIMERS } from '../domain/sla-timers.projection';
import { factTable, quoted } from './fact-upsert';
import { applyEvents } from './projection-writer';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A deterministic shuffle (a linear congruential generator), so that a failure repeats. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let index = result.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other], result[index]];
  }
  return result;
}

function incidentHistory(): ProjectedEvent[] {
  return Array.from({ length: 5 }, () =>
    incidentSnapshot({ openedAt: at(0), updatedAt: at(0) }),
  ).flatMap((record) => {
    const groups = [null, 'service-desk', 'network', 'network', 'database', 'database'];
    return groups.map((group, index): ProjectedEvent => {
      const version = index + 1;
      const snapshot: IncidentSnapshot = {
        ...record,
        version,
        assignmentGroup: group,
        state: version === 6 ? 'resolved' : version === 1 ? 'new' : 'in_progress',
        resolvedAt: version === 6 ? at(60) : null,
        updatedAt: at(version * 10),
      };
      return {
        type: version === 6 ? 'itsm.incident.resolved.v1' : 'itsm.incident.assigned.v1',
        time: snapshot.updatedAt,
        data: {
          incident: snapshot,
          changedFields: ['assignmentGroup', 'state'],
          previous: { assignmentGroup: groups[index - 1] ?? null, state: 'in_progress' },
        },
      };
    });
  });
}

function changeHistory(): ProjectedEvent[] {
  const change = changeSnapshot({ state: 'new', closeCode: null, version: 1 });
  return [1, 2, 3, 4, 5, 6].map((version) => ({
    type: version % 2 === 0 ? 'itsm.change.rejected.v1' : 'itsm.change.updated.v1',
    time: at(version),
    data: {
      change: {
        ...change,
        version,
        state: version === 6 ? 'cancelled' : 'new',
        updatedAt: at(version),
      },
      changedFields: [],
      previous: {},
    },
  }));
}

function timerHistory(): ProjectedEvent[] {
  const timer: SlaTimerSnapshot = {
    id: randomUUID(),
    recordId: randomUUID(),
    recordType: 'incident',
    recordNumber: 'INC0000001',
    slaId: randomUUID(),
    slaVersion: 1,
    slaName: 'P1 resolution',
    target: 'resolution',
    state: 'running',
    startedAt: at(0),
    dueAt: at(60),
    elapsedMs: 0,
    percentUsed: 0,
    breachedAt: null,
    stoppedAt: null,
  };
  const steps: [string, number, Partial<SlaTimerSnapshot>][] = [
    ['started', 0, {}],
    ['warning', 45, { elapsedMs: 2_700_000 }],
    ['paused', 50, { state: 'paused', elapsedMs: 3_000_000, dueAt: null }],
    ['resumed', 55, { elapsedMs: 3_000_000 }],
    ['breached', 66, { state: 'breached', elapsedMs: 3_660_000, breachedAt: at(66) }],
  ];
  return steps.map(([happening, minutes, fields]) => ({
    type: `itsm.sla.${happening}.v1`,
    time: at(minutes),
    data: { timer: { ...timer, ...fields } },
  }));
}

/** A stored row as the fold writes it: timestamps as ISO strings, bigints as numbers. */
function comparable(projection: ProjectionDefinition, row: Record<string, unknown>): FactRow {
  return Object.fromEntries(
    projection.shape.columns.map((column) => {
      const value = row[column.name];
      if (value instanceof Date) return [column.name, value.toISOString()];
      if (column.type === 'bigint' && value !== null) return [column.name, Number(value)];
      return [column.name, value as FactRow[string]];
    }),
  );
}

describe('the upsert of a batch of facts', () => {
  let dataSource: DataSource;
  const tables: string[] = [];

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', url: testEnvironment().databaseUrl });
    await dataSource.initialize();
  });

  afterAll(async () => {
    for (const table of tables) await dataSource.query(`DROP TABLE IF EXISTS ${factTable(table)}`);
    await dataSource.destroy();
  });

  async function scratchTable(projection: ProjectionDefinition): Promise<string> {
    const table = `${projection.shape.table}_${randomUUID().slice(0, 8)}`;
    tables.push(table);
    await dataSource.query(
      `CREATE TABLE ${factTable(table)} (LIKE ${factTable(projection.shape.table)} INCLUDING ALL)`,
    );
    return table;
  }

  it.each([
    ['service_records', SERVICE_RECORDS, incidentHistory],
    ['changes', CHANGES, changeHistory],
    ['sla_timers', SLA_TIMERS, timerHistory],
  ] as const)(
    '%s: SQL gives the row the fold gives, for any order, batches and duplicates',
    async (_name, projection, history) => {
      const events = history();
      const expected = foldFacts(
        projection.shape,
        events.flatMap((event) => {
          const projected = project(projection, event);
          return projected.outcome === 'applied' && projected.fact ? [projected.fact] : [];
        }),
      ).sort((a, b) =>
        String(a[projection.shape.key]).localeCompare(String(b[projection.shape.key])),
      );

      for (const seed of [1, 7, 42, 1234]) {
        const table = await scratchTable(projection);
        // Each event once or twice, in any order, in batches of 1 to 4.
        const delivered = shuffled(
          [...events, ...events.filter((_, index) => index % 3 === 0)],
          seed,
        );
        for (
          let start = 0, size = 1;
          start < delivered.length;
          start += size, size = (size % 4) + 1
        )
          await applyEvents(
            dataSource.manager,
            projection,
            delivered.slice(start, start + size),
            table,
          );
        const rows = await dataSource.query<Record<string, unknown>[]>(
          `SELECT * FROM ${factTable(table)} ORDER BY ${quoted(projection.shape.key)}::text`,
        );
        expect(rows.map((row) => comparable(projection, row))).toEqual(expected);
      }
    },
  );
});
