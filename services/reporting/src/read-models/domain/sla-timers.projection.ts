import { type SlaTimerEventV1, type SlaTimerState } from '@itsm/contracts';
import { columns, least } from './fact-table';
import { instant, type EventReader, type ProjectionDefinition } from './projection';

/**
 * A timer's events carry no version: the later event wins (by the time it happened), and
 * at the same instant the state further on in a timer's life (terminal over breached over
 * open). A timer met and then resumed (its record reopened) runs again, so time comes first.
 */
const STATE_RANK: Record<SlaTimerState, number> = {
  running: 1,
  paused: 1,
  breached: 2,
  met: 3,
  cancelled: 3,
};

/** Every `itsm.sla.*.v1` event carries the timer as it stood right after it. */
export const readSlaTimerV1: EventReader = (event) => {
  const timer = (event.data as Partial<SlaTimerEventV1>).timer;
  if (!timer) return null;
  return {
    timer_id: timer.id,
    record_id: timer.recordId,
    record_type: timer.recordType,
    record_number: timer.recordNumber,
    sla_id: timer.slaId,
    sla_name: timer.slaName,
    sla_version: timer.slaVersion,
    target: timer.target,
    state: timer.state,
    outcome: timer.breachedAt ? 'breached' : timer.state,
    started_at: instant(timer.startedAt),
    due_at: instant(timer.dueAt),
    breached_at: instant(timer.breachedAt),
    stopped_at: instant(timer.stoppedAt),
    elapsed_ms: timer.elapsedMs,
    version: STATE_RANK[timer.state],
    last_event_at: instant(event.time),
  };
};

export const SLA_TIMERS: ProjectionDefinition = {
  name: 'sla_timers',
  version: 1,
  lockId: 5,
  shape: {
    table: 'sla_timer_facts',
    key: 'timer_id',
    precedence: ['last_event_at', 'version', 'elapsed_ms', 'state'],
    columns: columns({
      timer_id: 'uuid',
      record_id: 'uuid',
      record_type: 'text',
      record_number: 'text',
      sla_id: 'uuid',
      sla_name: 'text',
      sla_version: 'int',
      target: 'text',
      state: 'text',
      outcome: 'text',
      started_at: 'timestamptz',
      due_at: 'timestamptz',
      // A breach once recorded stays, whatever arrives late.
      breached_at: ['timestamptz', least],
      stopped_at: 'timestamptz',
      elapsed_ms: 'bigint',
      version: 'int',
      last_event_at: 'timestamptz',
    }),
  },
  readers: { sla: { 1: readSlaTimerV1 } },
};
