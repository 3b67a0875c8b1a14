import { describe, expect, it } from '@jest/globals';
import {
  initialValues,
  missingFields,
  problemMoves,
  transitionBody,
  type ProblemMove,
} from './problem-moves';
import type { ProblemRecord, ProblemState } from './types';

function problem(fields: Partial<ProblemRecord> = {}): ProblemRecord {
  return {
    id: 'p1',
    number: 'PRB0000001',
    title: 'Mail drops after VPN reconnect',
    description: 'Outlook loses its connection',
    category: null,
    subcategory: null,
    businessServiceId: null,
    ciIds: [],
    impact: 2,
    urgency: 2,
    priority: 'P3',
    priorityOverrideReason: null,
    state: 'new',
    source: 'manual',
    candidateReason: null,
    assignmentGroup: null,
    assignee: null,
    openedBy: 'problem_manager',
    causeNotes: null,
    fixNotes: null,
    workaround: null,
    resolutionCode: null,
    resolutionNotes: null,
    duplicateOfId: null,
    changeIds: [],
    incidentCount: 0,
    openedAt: '2026-03-02T10:00:00.000Z',
    confirmedAt: null,
    confirmedBy: null,
    rootCauseIdentifiedAt: null,
    rootCauseIdentifiedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    closedAt: null,
    closedBy: null,
    reanalysisCount: 0,
    updatedAt: '2026-03-02T10:00:00.000Z',
    version: 1,
    ...fields,
  };
}

type Step = { to: string; requires?: string[]; accepts?: string[] };

/** The list `GET /problems/{id}/transitions` answers for the problem, as given. */
function opened(record: ProblemRecord, steps: Step[]) {
  return {
    id: record.id,
    state: record.state,
    transitions: steps.map(({ to, requires = [], accepts = [] }) => ({ to, requires, accepts })),
  };
}

/** What the service lists from each state, as docs/problems.md gives it. */
const SERVICE_LISTS: Record<ProblemState, Step[]> = {
  new: [
    { to: 'assess', requires: ['assignmentGroup'], accepts: ['assignee'] },
    { to: 'cancelled', requires: ['reason'] },
  ],
  assess: [
    { to: 'root_cause_analysis', accepts: ['assignmentGroup', 'assignee', 'workaround'] },
    { to: 'closed', requires: ['duplicateOfId'], accepts: ['reason', 'resolutionCode'] },
    { to: 'cancelled', requires: ['reason'] },
  ],
  root_cause_analysis: [
    { to: 'fix_in_progress', requires: ['causeNotes'], accepts: ['fixNotes', 'workaround'] },
    {
      to: 'resolved',
      requires: ['resolutionCode'],
      accepts: ['reason', 'resolutionNotes', 'causeNotes', 'workaround'],
    },
    { to: 'cancelled', requires: ['reason'] },
  ],
  fix_in_progress: [
    {
      to: 'resolved',
      requires: ['fixNotes'],
      accepts: ['resolutionCode', 'resolutionNotes', 'causeNotes', 'workaround', 'reason'],
    },
    { to: 'root_cause_analysis', requires: ['reason'], accepts: ['assignmentGroup', 'assignee'] },
    { to: 'cancelled', requires: ['reason'] },
  ],
  resolved: [
    { to: 'closed', accepts: ['resolutionNotes'] },
    { to: 'root_cause_analysis', requires: ['reason'], accepts: ['assignmentGroup', 'assignee'] },
  ],
  closed: [{ to: 'root_cause_analysis', requires: ['reason'], accepts: ['assignmentGroup'] }],
  cancelled: [],
};

const targets = (state: ProblemState) => {
  const record = problem({ state });
  return problemMoves(record, opened(record, SERVICE_LISTS[state])).map(
    (m) => `${m.action}:${m.to}`,
  );
};

function moveOf(record: ProblemRecord, action: ProblemMove['action']): ProblemMove {
  const found = problemMoves(record, opened(record, SERVICE_LISTS[record.state])).find(
    (m) => m.action === action,
  );
  if (!found) throw new Error(`no ${action} from ${record.state}`);
  return found;
}

describe('problemMoves', () => {
  it('names each step the service lists by what the user does', () => {
    expect(targets('new')).toEqual(['assess:assess', 'cancel:cancelled']);
    expect(targets('assess')).toEqual([
      'confirm:root_cause_analysis',
      'markDuplicate:closed',
      'cancel:cancelled',
    ]);
    expect(targets('root_cause_analysis')).toEqual([
      'startFix:fix_in_progress',
      'acceptRisk:resolved',
      'cancel:cancelled',
    ]);
    expect(targets('fix_in_progress')).toEqual([
      'resolve:resolved',
      'reanalyse:root_cause_analysis',
      'cancel:cancelled',
    ]);
    expect(targets('resolved')).toEqual(['close:closed', 'reanalyse:root_cause_analysis']);
    expect(targets('closed')).toEqual(['reanalyse:root_cause_analysis']);
    expect(targets('cancelled')).toEqual([]);
  });

  it('offers nothing before the list is read, or when it is of another state than on screen', () => {
    const record = problem({ state: 'assess' });
    expect(problemMoves(record, undefined)).toEqual([]);
    expect(problemMoves(record, opened(problem(), SERVICE_LISTS.new))).toEqual([]);
  });

  it('asks what the step requires, less what it always sends or does not ask', () => {
    expect(moveOf(problem(), 'assess')).toEqual({
      action: 'assess',
      to: 'assess',
      fields: ['assignmentGroup', 'assignee'],
      required: ['assignmentGroup'],
    });
    const accept = moveOf(problem({ state: 'root_cause_analysis' }), 'acceptRisk');
    expect(accept.required).toEqual([]);
    expect(accept.fixed).toEqual({ resolutionCode: 'risk_accepted' });
    expect(accept.fields).not.toContain('resolutionCode');
    expect(moveOf(problem({ state: 'assess' }), 'markDuplicate').fields).toEqual([
      'duplicateOfId',
      'reason',
    ]);
  });
});

describe('missingFields', () => {
  it('lists the required fields left blank', () => {
    const assess = moveOf(problem(), 'assess');
    expect(missingFields(assess, {})).toEqual(['assignmentGroup']);
    expect(missingFields(assess, { assignmentGroup: '  ' })).toEqual(['assignmentGroup']);
    expect(missingFields(assess, { assignmentGroup: 'problem-team' })).toEqual([]);
  });

  it('asks why when a risk is accepted', () => {
    const fixing = problem({ state: 'fix_in_progress', fixNotes: 'Patched' });
    // The fix notes are on the problem: the service lists them as accepted, not required.
    const [resolve] = problemMoves(
      fixing,
      opened(fixing, [
        { to: 'resolved', accepts: ['fixNotes', 'resolutionCode', 'resolutionNotes', 'reason'] },
      ]),
    );
    expect(missingFields(resolve, { resolutionCode: 'fix_applied' })).toEqual([]);
    expect(missingFields(resolve, { resolutionCode: 'risk_accepted' })).toEqual(['reason']);
    const accept = moveOf(problem({ state: 'root_cause_analysis' }), 'acceptRisk');
    expect(missingFields(accept, {})).toEqual(['reason']);
  });
});

describe('initialValues and transitionBody', () => {
  it('starts from what the problem holds', () => {
    const fixing = problem({ state: 'fix_in_progress', fixNotes: 'Patched', workaround: 'W' });
    expect(initialValues(fixing, moveOf(fixing, 'resolve'))).toEqual({
      fixNotes: 'Patched',
      workaround: 'W',
      resolutionCode: 'fix_applied',
    });
  });

  it('sends only what changed, trimmed, with the fixed values', () => {
    const analysing = problem({ state: 'root_cause_analysis', workaround: 'Restart Outlook' });
    const accept = moveOf(analysing, 'acceptRisk');
    expect(
      transitionBody(analysing, accept, {
        reason: ' Too costly to fix ',
        workaround: 'Restart Outlook',
        causeNotes: '',
      }),
    ).toEqual({ to: 'resolved', resolutionCode: 'risk_accepted', reason: 'Too costly to fix' });
  });

  it('keeps the assignee when the group changes, and leaves an unchanged group out', () => {
    const assessing = problem({ state: 'assess', assignmentGroup: 'desk', assignee: 'ann' });
    const confirm = moveOf(assessing, 'confirm');
    expect(
      transitionBody(assessing, confirm, { assignmentGroup: 'problem-team', assignee: 'ann' }),
    ).toEqual({ to: 'root_cause_analysis', assignmentGroup: 'problem-team', assignee: 'ann' });
    expect(
      transitionBody(assessing, confirm, { assignmentGroup: 'desk', assignee: 'bob' }),
    ).toEqual({ to: 'root_cause_analysis', assignee: 'bob' });
  });
});
