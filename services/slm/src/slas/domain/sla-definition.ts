import { Duration } from 'luxon';
import { INCIDENT_STATES, REQUEST_STATES, type IncidentSnapshot } from '@itsm/contracts';

export const SLA_KINDS = ['sla', 'ola'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];
export const SLA_TARGETS = ['response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export const RECORD_TYPES = ['incident', 'request'] as const;
export type SlaRecordType = (typeof RECORD_TYPES)[number];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export const RECORD_STATES: readonly string[] = [
  ...new Set([...INCIDENT_STATES, ...REQUEST_STATES]),
];

/** One version of a definition: what the engine needs to decide and measure. */
export interface SlaDefinition {
  id: string;
  version: number;
  name: string;
  kind: SlaKind;
  target: SlaTarget;
  recordType: SlaRecordType;
  /** Empty: every priority. */
  priorities: string[];
  businessServiceId: string | null;
  category: string | null;
  assignmentGroup: string | null;
  durationMs: number;
  calendarId: string;
  pauseStates: string[];
  /** Ascending percentages of the target at which a warning is announced. */
  warningThresholds: number[];
  /** The timer starts the first time the record is in one of these states. */
  startStates: string[];
  /** The target is met when the record enters one of these states… */
  stopStates: string[];
  /** …or, when set, once the record has a first response (`firstResponseAt`). */
  stopOnFirstResponse: boolean;
  cancelStates: string[];
  active: boolean;
}

export const DEFAULT_PAUSE_STATES = ['on_hold'];
export const DEFAULT_WARNING_THRESHOLDS = [50, 75, 90];
/** Every state a record is open in: by default a timer starts when the record is created. */
export const DEFAULT_START_STATES = [
  'new',
  'in_progress',
  'on_hold',
  'submitted',
  'approved',
  'fulfilling',
];
/** Response: the first move out of `new` (or `submitted`), or the first response recorded. */
export const DEFAULT_RESPONSE_STOP_STATES = [
  'in_progress',
  'on_hold',
  'resolved',
  'closed',
  'approved',
  'fulfilling',
  'fulfilled',
];
export const DEFAULT_RESOLUTION_STOP_STATES = ['resolved', 'closed', 'fulfilled'];
export const DEFAULT_CANCEL_STATES = ['cancelled', 'rejected'];

export function defaultStopCondition(target: SlaTarget): {
  states: string[];
  onFirstResponse: boolean;
} {
  return target === 'response'
    ? { states: DEFAULT_RESPONSE_STOP_STATES, onFirstResponse: true }
    : { states: DEFAULT_RESOLUTION_STOP_STATES, onFirstResponse: false };
}

/** Targets above a year are refused: no service level is agreed that far out. */
const LONGEST_DURATION_MS = 366 * 86_400_000;

/** `PT4H` → milliseconds; undefined unless it is a positive ISO 8601 duration of at most a year. */
export function parseTargetDuration(iso: string): number | undefined {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return undefined;
  // Months and years have no fixed length; the target must be an exact amount of time.
  if (duration.years !== 0 || duration.months !== 0) return undefined;
  const ms = duration.as('milliseconds');
  return ms > 0 && ms <= LONGEST_DURATION_MS ? ms : undefined;
}

/** The record fields an SLA's rules read. */
export type RecordFacts = Pick<
  IncidentSnapshot,
  | 'type'
  | 'state'
  | 'priority'
  | 'category'
  | 'businessServiceId'
  | 'assignmentGroup'
  | 'firstResponseAt'
>;

export function appliesTo(definition: SlaDefinition, record: RecordFacts): boolean {
  return (
    definition.active &&
    definition.recordType === record.type &&
    (definition.priorities.length === 0 || definition.priorities.includes(record.priority)) &&
    (definition.businessServiceId === null ||
      definition.businessServiceId === record.businessServiceId) &&
    (definition.category === null || definition.category === record.category) &&
    (definition.assignmentGroup === null || definition.assignmentGroup === record.assignmentGroup)
  );
}

export function startHolds(definition: SlaDefinition, record: RecordFacts): boolean {
  return definition.startStates.includes(record.state);
}

export function stopHolds(definition: SlaDefinition, record: RecordFacts): boolean {
  return (
    definition.stopStates.includes(record.state) ||
    (definition.stopOnFirstResponse && record.firstResponseAt !== null)
  );
}

export function cancelHolds(definition: SlaDefinition, record: RecordFacts): boolean {
  return definition.cancelStates.includes(record.state);
}
