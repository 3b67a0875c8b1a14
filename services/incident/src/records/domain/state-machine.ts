import {
  HOLD_REASONS,
  INCIDENT_STATES,
  REQUEST_STATES,
  type HoldReason,
  type RecordType,
} from '@itsm/contracts';
import {
  RuleViolation,
  TransitionRefused,
  openTransitionsOf,
  type OpenTransition as GenericOpenTransition,
  type TransitionRule as GenericTransitionRule,
} from '@itsm/domain';
import { type RecordState, type ServiceRecord } from './service-record';

export const RESOLUTION_CODES = [
  'solved_permanently',
  'solved_workaround',
  'resolved_by_change',
  'resolved_by_problem',
  'not_reproducible',
  'duplicate',
  'user_error',
  'no_fault_found',
  'alert_resolved',
] as const;
export type ResolutionCode = (typeof RESOLUTION_CODES)[number];

/** What a `POST .../transitions` body may carry besides `to`. */
export interface TransitionRequest {
  to: string;
  holdReason?: HoldReason;
  awaitingChangeId?: string;
  resolutionCode?: string;
  resolutionNotes?: string;
  /** Why: required to cancel, reject or reopen; kept in the journal. */
  reason?: string;
  assignmentGroup?: string;
  assignee?: string;
  /** Resolving a major incident: also resolve its open children (default true). */
  resolveChildren?: boolean;
}

export type TransitionField = Exclude<keyof TransitionRequest, 'to'>;

type TransitionRule = GenericTransitionRule<TransitionField>;

const WORK = { requires: ['assignmentGroup'], accepts: ['assignee'] } as const;
const HOLD = { requires: ['holdReason'], accepts: ['awaitingChangeId'] } as const;
const CANCEL = { requires: ['reason'] } as const;
const NOTHING = { requires: [] } as const;

/**
 * Incidents (PRODUCT.md): new -> in_progress <-> on_hold, in_progress -> resolved ->
 * closed, resolved -> in_progress (reopen), cancelled from any open state; closed and
 * cancelled are final.
 */
const INCIDENT_MACHINE: Record<string, Partial<Record<RecordState, TransitionRule>>> = {
  new: { in_progress: WORK, cancelled: CANCEL },
  in_progress: {
    on_hold: HOLD,
    resolved: { requires: ['resolutionCode', 'resolutionNotes'], accepts: ['resolveChildren'] },
    cancelled: CANCEL,
  },
  on_hold: {
    in_progress: { requires: [], accepts: ['assignmentGroup', 'assignee'] },
    cancelled: CANCEL,
  },
  resolved: { closed: NOTHING, in_progress: { requires: ['reason'] } },
  closed: {},
  cancelled: {},
};

/**
 * Service requests (clause 8.6.2): submitted -> approved -> fulfilling -> fulfilled ->
 * closed, rejected from submitted, cancelled from any open state.
 */
const REQUEST_MACHINE: Record<string, Partial<Record<RecordState, TransitionRule>>> = {
  submitted: {
    approved: { requires: [], accepts: ['reason'] },
    rejected: CANCEL,
    cancelled: CANCEL,
  },
  approved: { fulfilling: WORK, cancelled: CANCEL },
  fulfilling: {
    fulfilled: { requires: ['resolutionNotes'], accepts: ['resolutionCode'] },
    cancelled: CANCEL,
  },
  fulfilled: { closed: NOTHING },
  closed: {},
  rejected: {},
  cancelled: {},
};

const MACHINES: Record<RecordType, Record<string, Partial<Record<RecordState, TransitionRule>>>> = {
  incident: INCIDENT_MACHINE,
  request: REQUEST_MACHINE,
};

export const STATES_OF: Record<RecordType, readonly RecordState[]> = {
  incident: INCIDENT_STATES,
  request: REQUEST_STATES,
};

/** The states a record may move to from where it is (empty when final). */
export function allowedTargets(type: RecordType, state: RecordState): RecordState[] {
  return Object.keys(MACHINES[type][state] ?? {}) as RecordState[];
}

/** A move open from a record's state, and what a `POST .../transitions` to it must and may carry. */
export type OpenTransition = GenericOpenTransition<RecordState, TransitionField>;

/**
 * The moves open from the record's state (empty when final), each with the fields it
 * needs: an assignment group is not needed again when the record has one.
 */
export function openTransitions(
  type: RecordType,
  record: { state: RecordState; assignmentGroup: string | null },
): OpenTransition[] {
  return openTransitionsOf(
    MACHINES[type][record.state] ?? {},
    (field) => field === 'assignmentGroup' && record.assignmentGroup !== null,
  );
}

function isReopen(record: ServiceRecord, to: RecordState): boolean {
  return record.type === 'incident' && record.state === 'resolved' && to === 'in_progress';
}

function checkFields(
  record: ServiceRecord,
  request: TransitionRequest,
  rule: TransitionRule,
): void {
  const given = (Object.keys(request) as (keyof TransitionRequest)[]).filter(
    (field) => field !== 'to' && request[field] !== undefined,
  );
  const usable = new Set<TransitionField>([...rule.requires, ...(rule.accepts ?? [])]);
  for (const field of given) {
    if (!usable.has(field as TransitionField)) {
      throw new RuleViolation(field, `is not used by a transition to ${request.to}`);
    }
  }
  for (const field of rule.requires) {
    const value = request[field];
    const present = typeof value === 'string' ? value.trim() !== '' : value !== undefined;
    // Work can start on a record that already has a group without naming it again.
    if (!present && !(field === 'assignmentGroup' && record.assignmentGroup)) {
      throw new RuleViolation(field, `is required to move to ${request.to}`);
    }
  }
  if (request.holdReason !== undefined && !HOLD_REASONS.includes(request.holdReason)) {
    throw new RuleViolation('holdReason', `must be one of ${HOLD_REASONS.join(', ')}`);
  }
  if (request.holdReason === 'awaiting_problem' && !record.problemId) {
    // Nothing would ever end the hold: a problem's resolution ends the holds on its incidents.
    throw new RuleViolation(
      'holdReason',
      'awaiting_problem needs the incident linked to a problem',
    );
  }
  if (request.holdReason === 'awaiting_change' && !request.awaitingChangeId) {
    throw new RuleViolation('awaitingChangeId', 'is required when holding for a change');
  }
  if (request.awaitingChangeId !== undefined && request.holdReason !== 'awaiting_change') {
    throw new RuleViolation('awaitingChangeId', 'is only used with holdReason awaiting_change');
  }
  if (
    request.resolutionCode !== undefined &&
    !(RESOLUTION_CODES as readonly string[]).includes(request.resolutionCode)
  ) {
    throw new RuleViolation('resolutionCode', `must be one of ${RESOLUTION_CODES.join(', ')}`);
  }
}

/**
 * The record after moving to `request.to`, or an error: {@link TransitionRefused} when
 * the state machine does not allow the move, {@link RuleViolation} when a field the
 * transition needs is missing or one it does not use is given.
 */
export function applyTransition(
  record: ServiceRecord,
  request: TransitionRequest,
  now: Date,
): ServiceRecord {
  const to = request.to as RecordState;
  const rule = MACHINES[record.type][record.state]?.[to];
  if (!rule)
    throw new TransitionRefused(
      record.state,
      request.to,
      allowedTargets(record.type, record.state),
    );
  checkFields(record, request, rule);

  const next: ServiceRecord = { ...record, state: to };
  if (request.assignmentGroup !== undefined) {
    next.assignmentGroup = request.assignmentGroup;
    next.assignee = request.assignee ?? null;
  } else if (request.assignee !== undefined) {
    next.assignee = request.assignee;
  }
  if (record.state === 'on_hold') {
    next.holdReason = null;
    next.awaitingChangeId = null;
  }
  if (to === 'on_hold') {
    next.holdReason = request.holdReason ?? null;
    next.awaitingChangeId = request.awaitingChangeId ?? null;
  }
  if (to === 'resolved' || to === 'fulfilled') {
    next.resolutionCode = request.resolutionCode ?? (to === 'fulfilled' ? 'fulfilled' : null);
    next.resolutionNotes = request.resolutionNotes?.trim() ?? null;
    next.resolvedAt = now;
  }
  if (['closed', 'cancelled', 'rejected'].includes(to)) next.closedAt = now;
  if (isReopen(record, to)) {
    next.reopenCount = record.reopenCount + 1;
    next.resolvedAt = null;
    next.resolutionCode = null;
    next.resolutionNotes = null;
  }
  if (
    next.firstResponseAt === null &&
    record.state === (record.type === 'incident' ? 'new' : 'submitted')
  ) {
    next.firstResponseAt = now;
  }
  return next;
}

/**
 * Resolves an open record directly, whatever its open state: the one path outside the
 * machine, for resolutions decided elsewhere (the major incident it belongs to was
 * resolved; its problem was resolved). Records that are not open stay as they are.
 */
export function resolveFromOutside(
  record: ServiceRecord,
  resolution: { resolutionCode: ResolutionCode; resolutionNotes: string },
  now: Date,
): ServiceRecord {
  if (!['new', 'in_progress', 'on_hold'].includes(record.state) || record.type !== 'incident') {
    return record;
  }
  return {
    ...record,
    state: 'resolved',
    holdReason: null,
    awaitingChangeId: null,
    resolutionCode: resolution.resolutionCode,
    resolutionNotes: resolution.resolutionNotes,
    resolvedAt: now,
    firstResponseAt: record.firstResponseAt ?? now,
  };
}
