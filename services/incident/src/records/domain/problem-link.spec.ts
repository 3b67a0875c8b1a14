import { type RecordType } from '@itsm/contracts';
import {
  isWaitingForProblem,
  linkedToProblem,
  problemCommunicationNote,
  problemResolutionOutcome,
  unlinkedFromProblem,
  type ProblemFacts,
} from './problem-link';
import { happeningsOf } from './record-events';
import {
  diffRecords,
  fieldsOfTheOtherType,
  openRecord,
  type RecordState,
  type ServiceRecord,
} from './service-record';

const NOW = new Date('2026-12-01T10:00:00Z');
const LATER = new Date('2026-12-01T11:00:00Z');
const PROBLEM_A = '00000000-0000-4000-8000-0000000000a1';
const PROBLEM_B = '00000000-0000-4000-8000-0000000000b2';

function record(fields: Partial<ServiceRecord> = {}, type: RecordType = 'incident'): ServiceRecord {
  return {
    ...openRecord(
      {
        type,
        title: 'Payroll export fails',
        description: '',
        requester: 'requester',
        source: 'portal',
        impact: 2,
        urgency: 2,
        assignmentGroup: 'service-desk',
      },
      { id: '00000000-0000-4000-8000-000000000001', sequence: 1001 },
      NOW,
    ),
    ...fields,
  };
}

function linked(state: RecordState, fields: Partial<ServiceRecord> = {}): ServiceRecord {
  return record({ problemId: PROBLEM_A, state, ...fields });
}

const waiting = () => linked('on_hold', { holdReason: 'awaiting_problem' });

function problem(fields: Partial<ProblemFacts> = {}): ProblemFacts {
  return {
    id: PROBLEM_A,
    number: 'PRB0000001',
    title: 'Ledger deadlocks',
    resolutionCode: 'fix_applied',
    resolutionNotes: 'Shipped with the weekly release',
    causeNotes: 'Missing index on the ledger',
    fixNotes: 'Index added',
    workaround: null,
    ...fields,
  };
}

describe('linking incidents to problems', () => {
  it('opens records unlinked, and a problem link is an incident-only field', () => {
    expect(record().problemId).toBeNull();
    expect(fieldsOfTheOtherType('request', { problemId: PROBLEM_A })).toEqual([
      { field: 'problemId', message: 'applies to incidents only' },
    ]);
    expect(fieldsOfTheOtherType('incident', { problemId: PROBLEM_A })).toEqual([]);
  });

  it('links an incident to one problem at a time: a second link moves it', () => {
    const first = linkedToProblem(record(), PROBLEM_A);
    expect(first.problemId).toBe(PROBLEM_A);
    expect(linkedToProblem(first, PROBLEM_A)).toBe(first);
    expect(linkedToProblem(first, PROBLEM_B).problemId).toBe(PROBLEM_B);
  });

  it('links incidents in any state, never requests', () => {
    expect(linkedToProblem(record({ state: 'closed' }), PROBLEM_A).problemId).toBe(PROBLEM_A);
    const request = record({}, 'request');
    expect(linkedToProblem(request, PROBLEM_A)).toBe(request);
  });

  it('a link is an `updated` change, like any other field', () => {
    const before = record();
    expect(
      happeningsOf('incident', diffRecords(before, linkedToProblem(before, PROBLEM_A))),
    ).toEqual(['updated']);
  });

  it('waits for a problem only on hold awaiting that problem', () => {
    expect(isWaitingForProblem(waiting(), PROBLEM_A)).toBe(true);
    expect(isWaitingForProblem(waiting(), PROBLEM_B)).toBe(false);
    expect(isWaitingForProblem(linked('in_progress'), PROBLEM_A)).toBe(false);
    expect(
      isWaitingForProblem(linked('on_hold', { holdReason: 'awaiting_vendor' }), PROBLEM_A),
    ).toBe(false);
  });

  it('unlinks only from the problem the incident is still linked to', () => {
    const onA = linkedToProblem(record(), PROBLEM_A);
    expect(unlinkedFromProblem(onA, { id: PROBLEM_A, number: 'PRB0000001' })).toEqual({
      record: { ...onA, problemId: null },
      note: undefined,
    });
    // Linked to B after A: A's late unlink leaves the link to B.
    const onB = linkedToProblem(onA, PROBLEM_B);
    expect(unlinkedFromProblem(onB, { id: PROBLEM_A, number: 'PRB0000001' }).record).toBe(onB);
  });

  it('tells an incident on hold awaiting the problem that it was unlinked', () => {
    const outcome = unlinkedFromProblem(waiting(), { id: PROBLEM_A, number: 'PRB0000001' });
    expect(outcome.record).toMatchObject({ problemId: null, state: 'on_hold' });
    expect(outcome.note).toContain('PRB0000001');
    expect(outcome.note).toContain('resume');
  });
});

describe('a problem resolved with a fix applied', () => {
  it('resolves the incidents on hold awaiting it, with the fix as the resolution notes', () => {
    const outcome = problemResolutionOutcome(waiting(), problem(), LATER);
    expect(outcome?.record).toMatchObject({
      state: 'resolved',
      holdReason: null,
      resolutionCode: 'resolved_by_problem',
      resolutionNotes: 'Resolved by problem PRB0000001: Index added',
      resolvedAt: LATER,
      problemId: PROBLEM_A,
    });
    expect(outcome?.note).toContain('PRB0000001');
  });

  it('takes the cause when the fix has no notes', () => {
    const outcome = problemResolutionOutcome(waiting(), problem({ fixNotes: null }), LATER);
    expect(outcome?.record.resolutionNotes).toBe(
      'Resolved by problem PRB0000001: Missing index on the ledger',
    );
    const bare = problemResolutionOutcome(
      waiting(),
      problem({ fixNotes: null, causeNotes: ' ' }),
      LATER,
    );
    expect(bare?.record.resolutionNotes).toBe('Resolved by problem PRB0000001.');
  });

  it('only asks the other open incidents to verify the fix', () => {
    for (const open of [
      linked('new'),
      linked('in_progress'),
      linked('on_hold', { holdReason: 'awaiting_vendor' }),
    ]) {
      const outcome = problemResolutionOutcome(open, problem(), LATER);
      expect(outcome?.record).toBe(open);
      expect(outcome?.note).toBe(
        'Problem PRB0000001 "Ledger deadlocks" was resolved with a fix applied: Index added. Verify that this incident is fixed too, and resolve it if so.',
      );
    }
  });

  it('leaves incidents that are not open, and those linked elsewhere, alone', () => {
    for (const done of [linked('resolved'), linked('closed'), linked('cancelled')]) {
      expect(problemResolutionOutcome(done, problem(), LATER)).toBeUndefined();
    }
    const elsewhere = record({
      state: 'on_hold',
      holdReason: 'awaiting_problem',
      problemId: PROBLEM_B,
    });
    expect(problemResolutionOutcome(elsewhere, problem(), LATER)).toBeUndefined();
  });

  it('changes nothing a second time: the incident it resolved is no longer open', () => {
    const resolved = problemResolutionOutcome(waiting(), problem(), LATER)?.record;
    expect(resolved && problemResolutionOutcome(resolved, problem(), LATER)).toBeUndefined();
  });
});

describe('a problem resolved with its risk accepted', () => {
  it('resolves nothing and tells every open incident, those waiting to resume', () => {
    const accepted = problem({
      resolutionCode: 'risk_accepted',
      resolutionNotes: 'Too rare to fix',
      fixNotes: null,
      workaround: 'Rerun the export',
    });
    const held = waiting();
    const forHeld = problemResolutionOutcome(held, accepted, LATER);
    expect(forHeld?.record).toBe(held);
    expect(forHeld?.note).toBe(
      'Problem PRB0000001 "Ledger deadlocks" was resolved with its risk accepted, no fix will come: Too rare to fix. Resume this incident: its hold would never end. Workaround: Rerun the export',
    );
    const working = linked('in_progress');
    const forWorking = problemResolutionOutcome(working, accepted, LATER);
    expect(forWorking?.record).toBe(working);
    expect(forWorking?.note).not.toContain('Resume');
    expect(problemResolutionOutcome(linked('closed'), accepted, LATER)).toBeUndefined();
  });
});

describe('a workaround or fix communicated by the problem', () => {
  const facts = { id: PROBLEM_A, number: 'PRB0000001' };

  it('is a note on each open linked incident, prefixed with where it comes from', () => {
    expect(
      problemCommunicationNote(linked('in_progress'), facts, 'workaround', ' Restart it '),
    ).toBe('Workaround from problem PRB0000001: Restart it');
    expect(problemCommunicationNote(waiting(), facts, 'fix', 'Patched in 4.2')).toBe(
      'Fix from problem PRB0000001: Patched in 4.2',
    );
  });

  it('skips incidents that are resolved, closed, cancelled or linked elsewhere', () => {
    for (const skipped of [
      linked('resolved'),
      linked('closed'),
      linked('cancelled'),
      record({ state: 'new', problemId: PROBLEM_B }),
      record({ state: 'new' }),
    ]) {
      expect(problemCommunicationNote(skipped, facts, 'fix', 'Patched')).toBeUndefined();
    }
  });
});
