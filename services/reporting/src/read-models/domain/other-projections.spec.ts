import { randomUUID } from 'node:crypto';
import { type SlaTimerSnapshot } from '@itsm/contracts';
import { changeSnapshot, problemSnapshot } from '@itsm/testing';
import { readChangeV1, CHANGES } from './changes.projection';
import { readCiV1 } from './cmdb.projection';
import { foldFacts, type FactRow } from './fact-table';
import { readProblemV1 } from './problems.projection';
import { type EventReader, type ProjectedEvent, type ProjectionDefinition } from './projection';
import { SLA_TIMERS, readSlaTimerV1 } from './sla-timers.projection';

const fold = (projection: ProjectionDefinition, reader: EventReader, events: ProjectedEvent[]) =>
  foldFacts(
    projection.shape,
    events.map((one) => reader(one)).filter((fact): fact is FactRow => fact !== null),
  );

describe('the change facts', () => {
  const change = changeSnapshot({ state: 'new', closeCode: null });
  const on = (happening: string, fields: object): ProjectedEvent => ({
    type: `itsm.change.${happening}.v1`,
    time: '2026-03-02T10:00:00.000Z',
    data: { change: { ...change, ...fields }, changedFields: [], previous: {} },
  });

  it('count each rejection once and keep the close code and the incidents it caused', () => {
    const incident = randomUUID();
    const events = [
      on('rejected', { version: 3 }),
      on('rejected', { version: 5 }),
      on('closed', {
        version: 9,
        state: 'closed',
        closeCode: 'unsuccessful',
        causedIncidentIds: [incident],
        closedAt: '2026-03-03T10:00:00.000Z',
      }),
    ];
    const expected = {
      version: 9,
      state: 'closed',
      close_code: 'unsuccessful',
      caused_incident_ids: [incident],
      rejection_versions: [3, 5],
      rejection_count: 2,
      closed_at: '2026-03-03T10:00:00.000Z',
    };
    expect(fold(CHANGES, readChangeV1, events)[0]).toMatchObject(expected);
    expect(
      fold(CHANGES, readChangeV1, [events[2], events[0], events[1], events[0]])[0],
    ).toMatchObject(expected);
  });
});

describe('the SLA timer facts', () => {
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
    startedAt: '2026-03-02T08:00:00.000Z',
    dueAt: '2026-03-02T12:00:00.000Z',
    elapsedMs: 0,
    percentUsed: 0,
    breachedAt: null,
    stoppedAt: null,
  };
  const on = (
    happening: string,
    time: string,
    fields: Partial<SlaTimerSnapshot>,
  ): ProjectedEvent => ({
    type: `itsm.sla.${happening}.v1`,
    time,
    data: { timer: { ...timer, ...fields } },
  });
  const started = on('started', '2026-03-02T08:00:00.000Z', {});
  const warning = on('warning', '2026-03-02T11:00:00.000Z', { elapsedMs: 10_800_000 });
  const breached = on('breached', '2026-03-02T12:00:01.000Z', {
    state: 'breached',
    elapsedMs: 14_401_000,
    breachedAt: '2026-03-02T12:00:01.000Z',
  });

  it('keep a breach whatever arrives late', () => {
    const row = fold(SLA_TIMERS, readSlaTimerV1, [started, breached, warning])[0];
    expect(row).toMatchObject({
      state: 'breached',
      outcome: 'breached',
      breached_at: '2026-03-02T12:00:01.000Z',
    });
    expect(fold(SLA_TIMERS, readSlaTimerV1, [breached, warning, started])).toEqual([row]);
  });

  it('follow a timer met, resumed when its record reopens, and met again', () => {
    const met = on('met', '2026-03-02T09:00:00.000Z', {
      state: 'met',
      elapsedMs: 3_600_000,
      stoppedAt: '2026-03-02T09:00:00.000Z',
    });
    const resumed = on('resumed', '2026-03-02T10:00:00.000Z', {
      state: 'running',
      elapsedMs: 3_600_000,
    });
    expect(fold(SLA_TIMERS, readSlaTimerV1, [started, resumed, met])[0]).toMatchObject({
      state: 'running',
      stopped_at: null,
    });
    const metAgain = on('met', '2026-03-02T10:30:00.000Z', {
      state: 'met',
      elapsedMs: 5_400_000,
      stoppedAt: '2026-03-02T10:30:00.000Z',
    });
    expect(fold(SLA_TIMERS, readSlaTimerV1, [metAgain, started, met, resumed])[0]).toMatchObject({
      state: 'met',
      outcome: 'met',
      breached_at: null,
      stopped_at: '2026-03-02T10:30:00.000Z',
      elapsed_ms: 5_400_000,
    });
  });
});

describe('the problem and CI facts', () => {
  it('read a problem cancelled as of the version that cancelled it', () => {
    const problem = problemSnapshot({
      state: 'cancelled',
      updatedAt: '2026-03-02T10:00:00.000Z',
      version: 4,
    });
    expect(
      readProblemV1({
        type: 'itsm.problem.state_changed.v1',
        time: problem.updatedAt,
        data: { problem },
      }),
    ).toMatchObject({
      problem_id: problem.id,
      cancelled_at: '2026-03-02T10:00:00.000Z',
      root_cause_identified_at: null,
    });
  });

  it('read a business service CI and when it was retired', () => {
    const fact = readCiV1({
      type: 'itsm.ci.retired.v1',
      time: '2026-03-02T10:00:00.000Z',
      data: {
        ci: {
          id: randomUUID(),
          class: 'business_service',
          name: 'Payroll',
          status: 'retired',
          environment: 'production',
          ownerGroup: 'finance-it',
          criticality: 1,
          identifiers: {},
          attributes: {},
          sources: ['manual'],
          lastDiscoveredAt: null,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-03-02T10:00:00.000Z',
          version: 6,
        },
      },
    });
    expect(fact).toMatchObject({
      business_service: true,
      criticality: 1,
      restricted: false,
      retired_at: '2026-03-02T10:00:00.000Z',
    });
  });
});
