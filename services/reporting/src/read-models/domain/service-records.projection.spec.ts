import { type IncidentSnapshot } from '@itsm/contracts';
import { incidentSnapshot } from '@itsm/testing';
import { foldFacts, type FactRow } from './fact-table';
import { type ProjectedEvent } from './projection';
import { SERVICE_RECORDS, readServiceRecordV1 } from './service-records.projection';

const base = incidentSnapshot({
  openedAt: '2026-03-02T08:00:00.000Z',
  updatedAt: '2026-03-02T08:00:00.000Z',
});

function event(
  happening: string,
  fields: Partial<IncidentSnapshot>,
  previous: Record<string, unknown> = {},
): ProjectedEvent {
  const record = { ...base, ...fields };
  return {
    type: `itsm.${record.type}.${happening}.v1`,
    time: record.updatedAt,
    data: {
      [record.type]: record,
      changedFields: Object.keys(previous),
      previous,
    },
  };
}

const at = (minutes: number) =>
  new Date(Date.parse(base.openedAt) + minutes * 60_000).toISOString();

/** Created unassigned; assigned; reassigned; resolved; reopened; reassigned; resolved again. */
const history: ProjectedEvent[] = [
  event('created', { version: 1 }),
  event(
    'assigned',
    { version: 2, assignmentGroup: 'service-desk', updatedAt: at(5) },
    { assignmentGroup: null },
  ),
  event(
    'assigned',
    { version: 3, assignmentGroup: 'network', updatedAt: at(20) },
    { assignmentGroup: 'service-desk' },
  ),
  event(
    'state_changed',
    { version: 3, assignmentGroup: 'network', updatedAt: at(20) },
    { assignmentGroup: 'service-desk' },
  ),
  event(
    'resolved',
    {
      version: 4,
      assignmentGroup: 'network',
      state: 'resolved',
      resolvedAt: at(60),
      updatedAt: at(60),
    },
    { state: 'in_progress' },
  ),
  event(
    'reopened',
    {
      version: 5,
      assignmentGroup: 'network',
      state: 'in_progress',
      reopenCount: 1,
      updatedAt: at(90),
    },
    { state: 'resolved' },
  ),
  event(
    'assigned',
    { version: 6, assignmentGroup: 'database', reopenCount: 1, updatedAt: at(100) },
    { assignmentGroup: 'network' },
  ),
  event(
    'resolved',
    {
      version: 7,
      assignmentGroup: 'database',
      state: 'resolved',
      reopenCount: 1,
      resolvedAt: at(120),
      updatedAt: at(120),
    },
    { state: 'in_progress' },
  ),
];

const facts = (events: readonly ProjectedEvent[]): FactRow[] =>
  foldFacts(
    SERVICE_RECORDS.shape,
    events.map((one) => readServiceRecordV1(one)).filter((fact): fact is FactRow => fact !== null),
  );

describe('the service record facts', () => {
  it('count reassignments, the first assignment, the last resolution and reopens', () => {
    expect(facts(history)).toEqual([
      expect.objectContaining({
        record_id: base.id,
        version: 7,
        state: 'resolved',
        assignment_group: 'database',
        first_assigned_at: at(5),
        // Group to another group: versions 3 and 6; the first assignment (from none) is not one.
        reassignment_versions: [3, 6],
        resolved_version: 7,
        resolved_at: at(120),
        reopen_count: 1,
        cancelled_at: null,
        last_event_at: at(120),
      }),
    ]);
  });

  it('are the same whatever order and however often the events arrive', () => {
    const expected = facts(history);
    expect(facts([...history].reverse())).toEqual(expected);
    expect(facts([history[6], ...history, history[2], history[4]])).toEqual(expected);
  });

  it('take the group being taken away as no reassignment', () => {
    const row = facts([
      history[1],
      event(
        'assigned',
        { version: 3, assignmentGroup: null, updatedAt: at(30) },
        { assignmentGroup: 'service-desk' },
      ),
    ])[0];
    expect(row).toMatchObject({ reassignment_versions: [], first_assigned_at: at(5) });
  });

  it('record when a request was fulfilled and when one was rejected', () => {
    const request = { type: 'request' as const, number: 'REQ0000042' };
    const fulfilled = facts([
      event('created', { ...request, version: 1 }),
      event(
        'fulfilled',
        { ...request, version: 4, state: 'fulfilled', updatedAt: at(240) },
        { state: 'fulfilling' },
      ),
    ])[0];
    expect(fulfilled).toMatchObject({ record_type: 'request', resolved_version: 4 });
    const rejected = facts([
      event(
        'state_changed',
        { ...request, version: 2, state: 'rejected', updatedAt: at(15) },
        { state: 'submitted' },
      ),
      event(
        'updated',
        { ...request, version: 3, state: 'rejected', updatedAt: at(45) },
        { title: 'x' },
      ),
    ])[0];
    expect(rejected).toMatchObject({ cancelled_at: at(15), resolved_version: null });
  });

  it('read the problem a record is linked to, null in events from before the field', () => {
    const { problemId: _omitted, ...withoutProblem } = base;
    const old = readServiceRecordV1({
      type: 'itsm.incident.updated.v1',
      time: base.updatedAt,
      data: { incident: withoutProblem, changedFields: [], previous: {} },
    });
    expect(old).toMatchObject({ problem_id: null });
  });
});
