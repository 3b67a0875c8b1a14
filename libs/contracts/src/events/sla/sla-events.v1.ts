import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString } from '../nullable';

export const SLA_TIMER_STATES = ['running', 'paused', 'met', 'breached', 'cancelled'] as const;
export type SlaTimerState = (typeof SLA_TIMER_STATES)[number];

/** An SLA timer as the slm service's events carry it. */
export interface SlaTimerSnapshot {
  id: string;
  /** The incident or request the timer measures. */
  recordId: string;
  recordType: 'incident' | 'request';
  recordNumber: string;
  slaId: string;
  /** The definition version the timer runs on (a running timer keeps its version). */
  slaVersion: number;
  slaName: string;
  target: 'response' | 'resolution';
  state: SlaTimerState;
  startedAt: string;
  /** When the target is due in wall-clock time; null while paused. */
  dueAt: string | null;
  elapsedMs: number;
  percentUsed: number;
  /** When the breach was recorded (at or after `dueAt`); null unless breached. */
  breachedAt: string | null;
  /** When the stop or cancel condition came; null while the timer is open. */
  stoppedAt: string | null;
  /** Why a paused timer waits (the record's hold reason, or its state); null otherwise. */
  pauseReason?: string | null;
}

export interface SlaTimerEventV1 {
  timer: SlaTimerSnapshot;
}

export interface SlaWarningV1 extends SlaTimerEventV1 {
  /** The warning threshold crossed, in percent of the target (e.g. 75). */
  threshold: number;
}

export const SlaEventTypes = {
  started: 'itsm.sla.started.v1',
  paused: 'itsm.sla.paused.v1',
  resumed: 'itsm.sla.resumed.v1',
  retargeted: 'itsm.sla.retargeted.v1',
  warning: 'itsm.sla.warning.v1',
  breached: 'itsm.sla.breached.v1',
  met: 'itsm.sla.met.v1',
  cancelled: 'itsm.sla.cancelled.v1',
} as const;

export const slaTimerSnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  required: [
    'id',
    'recordId',
    'recordType',
    'recordNumber',
    'slaId',
    'slaVersion',
    'slaName',
    'target',
    'state',
    'startedAt',
    'dueAt',
    'elapsedMs',
    'percentUsed',
    'breachedAt',
    'stoppedAt',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    recordId: { type: 'string', format: 'uuid' },
    recordType: { enum: ['incident', 'request'] },
    recordNumber: { type: 'string' },
    slaId: { type: 'string', format: 'uuid' },
    slaVersion: { type: 'integer', minimum: 1 },
    slaName: { type: 'string' },
    target: { enum: ['response', 'resolution'] },
    state: { enum: SLA_TIMER_STATES },
    startedAt: { type: 'string', format: 'date-time' },
    dueAt: nullableDateTime,
    elapsedMs: { type: 'integer', minimum: 0 },
    percentUsed: { type: 'number', minimum: 0 },
    breachedAt: nullableDateTime,
    stoppedAt: nullableDateTime,
    pauseReason: nullableString,
  },
} as const;

const SUMMARIES: Record<keyof typeof SlaEventTypes, string> = {
  started: 'An SLA timer started for a record.',
  paused: "An SLA timer paused (the record entered one of the definition's pause states).",
  resumed: 'A paused SLA timer runs again.',
  retargeted:
    'A running SLA timer moved to another definition (e.g. the priority changed); elapsed time is kept.',
  warning: 'An SLA timer crossed one of its warning thresholds.',
  breached: 'An SLA timer passed its due time before its stop condition.',
  met: "An SLA timer's stop condition was reached before its due time.",
  cancelled: 'An SLA timer was cancelled (its cancel condition, or it no longer applies).',
};

function timerEventSchema(type: string, title: string, withThreshold: boolean) {
  return {
    $id: type,
    title,
    type: 'object',
    additionalProperties: false,
    required: withThreshold ? ['timer', 'threshold'] : ['timer'],
    properties: {
      timer: slaTimerSnapshotSchema,
      ...(withThreshold
        ? { threshold: { type: 'number', exclusiveMinimum: 0, maximum: 100 } }
        : {}),
    },
  };
}

export const SLA_EVENTS: readonly EventDefinition[] = (
  Object.keys(SlaEventTypes) as (keyof typeof SlaEventTypes)[]
).map((happening) => ({
  type: SlaEventTypes[happening],
  topic: Topics.slaEvents,
  summary: SUMMARIES[happening],
  schema: timerEventSchema(SlaEventTypes[happening], SUMMARIES[happening], happening === 'warning'),
}));
