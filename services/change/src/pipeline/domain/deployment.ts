import { CHANGE_CLOSE_CODES, type ChangeCloseCode } from '@itsm/contracts';
import { RecordConflict, RuleViolation } from '@itsm/domain';
import { reviewRequired, type Change } from '../../changes/domain/change';
import { type ChangeTransitionRequest } from '../../changes/domain/change-state-machine';

/** What a pipeline reports: its deployment started, or finished with an outcome. */
export interface DeploymentReport {
  status: 'started' | 'finished';
  /** How it went; required when finished. */
  outcome?: ChangeCloseCode;
  /** When it happened (default now). */
  at?: Date;
  notes?: string;
}

/**
 * The transitions a deployment report takes the change through, in order (none when the
 * report repeats what is already recorded, so that a pipeline may retry). A start moves
 * a scheduled change to implement; an end moves it to review with the outcome as close
 * code, and on to closed when no post-implementation review is required.
 */
export function stepsFor(
  change: Change,
  report: DeploymentReport,
  now: Date,
): ChangeTransitionRequest[] {
  const at = report.at ?? now;
  if (report.status === 'started') {
    if (change.state === 'implement') return [];
    if (change.state !== 'scheduled') {
      throw new RecordConflict(
        `${change.number} is ${change.state}; a deployment starts a scheduled change`,
      );
    }
    return [{ to: 'implement', actualStart: at }];
  }
  if (!report.outcome || !(CHANGE_CLOSE_CODES as readonly string[]).includes(report.outcome)) {
    throw new RuleViolation(
      'outcome',
      `is required to finish, one of ${CHANGE_CLOSE_CODES.join(', ')}`,
    );
  }
  if (change.state === 'review' || change.state === 'closed') {
    if (change.closeCode === report.outcome) {
      // A retry after the change reached review: finish what the first report started.
      return change.state === 'review' && !reviewRequired(change) ? [{ to: 'closed' }] : [];
    }
    throw new RecordConflict(
      `${change.number} finished already with ${change.closeCode ?? 'no close code'}; a different outcome is recorded by hand, in review`,
    );
  }
  const steps: ChangeTransitionRequest[] = [];
  if (change.state === 'scheduled') steps.push({ to: 'implement', actualStart: at });
  else if (change.state !== 'implement') {
    throw new RecordConflict(
      `${change.number} is ${change.state}; a deployment finishes a change in implement`,
    );
  }
  steps.push({
    to: 'review',
    closeCode: report.outcome,
    actualEnd: at,
    ...(report.notes?.trim() ? { closeNotes: report.notes.trim() } : {}),
  });
  if (!reviewRequired({ ...change, closeCode: report.outcome })) steps.push({ to: 'closed' });
  return steps;
}
