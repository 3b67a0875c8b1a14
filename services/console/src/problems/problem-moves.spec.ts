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

const targets = (state: ProblemState, mayManage = false, fields: Partial<ProblemRecord> = {}) =>
  problemMoves(problem({ state, ...fields }), { mayManage }).map((m) => `${m.action}:${m.to}`);

function moveOf(record: ProblemRecord, action: ProblemMove['action']): ProblemMove {
  const found = problemMoves(record, { mayManage: true }).find((m) => m.action === action);
  if (!found) throw new Error(`no ${action} from ${record.state}`);
  return found;
}

describe('problemMoves', () => {
  it('offers the moves the state machine allows from each state', () => {
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
    expect(targets('cancelled', true)).toEqual([]);
  });

  it('re-analyses a closed problem for problem managers only, and never a duplicate', () => {
    expect(targets('closed')).toEqual([]);
    expect(targets('closed', true)).toEqual(['reanalyse:root_cause_analysis']);
    expect(targets('closed', true, { resolutionCode: 'duplicate' })).toEqual([]);
  });

  it('needs an assignment group to assess unless the problem has one', () => {
    expect(moveOf(problem(), 'assess').required).toEqual(['assignmentGroup']);
    expect(moveOf(problem({ assignmentGroup: 'problem-team' }), 'assess').required).toEqual([]);
  });

  it('needs the root cause to start the fix, and the fix to resolve, unless recorded', () => {
    const analysing = problem({ state: 'root_cause_analysis' });
    expect(moveOf(analysing, 'startFix').required).toEqual(['causeNotes']);
    expect(moveOf({ ...analysing, causeNotes: 'A lock' }, 'startFix').required).toEqual([]);
    const fixing = problem({ state: 'fix_in_progress' });
    expect(moveOf(fixing, 'resolve').required).toEqual(['fixNotes']);
    expect(moveOf({ ...fixing, fixNotes: 'Patched' }, 'resolve').required).toEqual([]);
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
    const resolve = moveOf(fixing, 'resolve');
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
