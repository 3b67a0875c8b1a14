import { type SlaTimerSnapshot, type SlaTimerState } from '@itsm/contracts';
import {
  addWorkingTime,
  workingTimeBetween,
  type BusinessCalendar,
} from '../../calendars/domain/business-calendar';
import { type SlaDefinition } from '../../slas/domain/sla-definition';

/** A timer as the engine keeps it (the persistence entity has exactly these fields). */
export interface SlaTimer {
  id: string;
  recordId: string;
  recordType: string;
  recordNumber: string;
  businessServiceId: string | null;
  assignmentGroup: string | null;
  slaId: string;
  slaVersion: number;
  slaName: string;
  kind: string;
  target: string;
  state: string;
  calendarId: string;
  durationMs: number;
  warningThresholds: number[];
  warningsFired: number;
  startedAt: Date;
  elapsedMs: number;
  /** Set while time counts: running, or breached and not yet stopped. */
  runningSince: Date | null;
  dueAt: Date | null;
  nextFireAt: Date | null;
  breachedAt: Date | null;
  stoppedAt: Date | null;
  pauseReason: string | null;
  updatedAt: Date;
}

/** Something that happened to a timer, announced as `itsm.sla.<kind>.v1`. */
export type TimerHappening =
  | { kind: 'started' | 'paused' | 'resumed' | 'retargeted' | 'breached' | 'met' | 'cancelled' }
  | { kind: 'warning'; threshold: number };

/** A happening with the timer as it stood right after it. */
export interface TimerChange {
  happening: TimerHappening;
  /** When it happened. */
  at: number;
  snapshot: SlaTimerSnapshot;
}

function changeOf(
  timer: SlaTimer,
  calendar: BusinessCalendar,
  happening: TimerHappening,
  at: number,
): TimerChange {
  return { happening, at, snapshot: snapshotOf(timer, calendar, at) };
}

export function elapsedAt(timer: SlaTimer, calendar: BusinessCalendar, at: number): number {
  if (!timer.runningSince) return timer.elapsedMs;
  return timer.elapsedMs + workingTimeBetween(calendar, timer.runningSince.getTime(), at);
}

export function percentUsed(elapsedMs: number, durationMs: number): number {
  return Math.round((elapsedMs / durationMs) * 10_000) / 100;
}

export function snapshotOf(
  timer: SlaTimer,
  calendar: BusinessCalendar,
  at: number,
): SlaTimerSnapshot {
  const elapsedMs = Math.round(elapsedAt(timer, calendar, at));
  return {
    id: timer.id,
    recordId: timer.recordId,
    recordType: timer.recordType as SlaTimerSnapshot['recordType'],
    recordNumber: timer.recordNumber,
    slaId: timer.slaId,
    slaVersion: timer.slaVersion,
    slaName: timer.slaName,
    target: timer.target as SlaTimerSnapshot['target'],
    state: timer.state as SlaTimerState,
    startedAt: timer.startedAt.toISOString(),
    dueAt: timer.dueAt?.toISOString() ?? null,
    elapsedMs,
    percentUsed: percentUsed(elapsedMs, timer.durationMs),
    breachedAt: timer.breachedAt?.toISOString() ?? null,
    stoppedAt: timer.stoppedAt?.toISOString() ?? null,
    pauseReason: timer.pauseReason,
  };
}

/**
 * Due time and next fire instant of a running timer, from what it has used and when it
 * started running this time. Thresholds already passed (e.g. after re-targeting to a
 * shorter target) are due at once.
 */
function schedule(timer: SlaTimer, calendar: BusinessCalendar): void {
  if (timer.state !== 'running' || !timer.runningSince) {
    timer.nextFireAt = null;
    return;
  }
  const since = timer.runningSince.getTime();
  const instantOfUse = (usedMs: number) =>
    new Date(addWorkingTime(calendar, since, Math.max(0, Math.ceil(usedMs - timer.elapsedMs))));
  timer.dueAt = instantOfUse(timer.durationMs);
  const nextThreshold = timer.warningThresholds[timer.warningsFired];
  timer.nextFireAt =
    nextThreshold === undefined
      ? timer.dueAt
      : instantOfUse((timer.durationMs * nextThreshold) / 100);
}

/** Counts the working time up to `at` into `elapsedMs` and stops the clock. */
function stopClock(timer: SlaTimer, calendar: BusinessCalendar, at: number): void {
  timer.elapsedMs = elapsedAt(timer, calendar, at);
  timer.runningSince = null;
}

export function startTimer(
  fields: Omit<
    SlaTimer,
    | 'state'
    | 'elapsedMs'
    | 'runningSince'
    | 'dueAt'
    | 'nextFireAt'
    | 'breachedAt'
    | 'stoppedAt'
    | 'pauseReason'
    | 'warningsFired'
    | 'updatedAt'
  >,
  calendar: BusinessCalendar,
): SlaTimer {
  const timer: SlaTimer = {
    ...fields,
    state: 'running',
    elapsedMs: 0,
    warningsFired: 0,
    runningSince: fields.startedAt,
    dueAt: null,
    nextFireAt: null,
    breachedAt: null,
    stoppedAt: null,
    pauseReason: null,
    updatedAt: fields.startedAt,
  };
  schedule(timer, calendar);
  return timer;
}

/**
 * Announces every warning and the breach that came due up to `at`, in order. `now` is
 * when the engine noticed: the breach is recorded then (never before the due time).
 */
export function fireDue(
  timer: SlaTimer,
  calendar: BusinessCalendar,
  at: number,
  now: number,
): TimerChange[] {
  const changes: TimerChange[] = [];
  // Recomputed first: the calendar may have changed (a holiday added) since it was scheduled.
  schedule(timer, calendar);
  while (timer.state === 'running' && timer.nextFireAt && timer.nextFireAt.getTime() <= at) {
    const firing = timer.nextFireAt.getTime();
    const threshold = timer.warningThresholds[timer.warningsFired];
    if (threshold !== undefined) {
      timer.warningsFired += 1;
      changes.push(changeOf(timer, calendar, { kind: 'warning', threshold }, firing));
    } else {
      timer.state = 'breached';
      timer.breachedAt = new Date(Math.max(now, firing));
      schedule(timer, calendar);
      changes.push(changeOf(timer, calendar, { kind: 'breached' }, timer.breachedAt.getTime()));
      break;
    }
    schedule(timer, calendar);
  }
  return changes;
}

export function pauseTimer(
  timer: SlaTimer,
  calendar: BusinessCalendar,
  at: number,
  reason: string,
): TimerChange[] {
  if (timer.state !== 'running') return [];
  stopClock(timer, calendar, at);
  timer.state = 'paused';
  timer.pauseReason = reason;
  timer.dueAt = null;
  schedule(timer, calendar);
  return [changeOf(timer, calendar, { kind: 'paused' }, at)];
}

/** Runs a paused timer again, or a met one whose record was reopened (time while resolved does not count). */
export function resumeTimer(
  timer: SlaTimer,
  calendar: BusinessCalendar,
  at: number,
): TimerChange[] {
  if (timer.state !== 'paused' && timer.state !== 'met') return [];
  timer.state = 'running';
  timer.runningSince = new Date(at);
  timer.pauseReason = null;
  timer.stoppedAt = null;
  schedule(timer, calendar);
  return [changeOf(timer, calendar, { kind: 'resumed' }, at)];
}

/**
 * The stop or cancel condition came: a running or paused timer is met or cancelled; a
 * breached one stays breached and only stops counting.
 */
export function stopTimer(
  timer: SlaTimer,
  calendar: BusinessCalendar,
  at: number,
  outcome: 'met' | 'cancelled',
): TimerChange[] {
  if (timer.stoppedAt) return [];
  if (timer.state === 'breached') {
    stopClock(timer, calendar, at);
    timer.stoppedAt = new Date(at);
    return [];
  }
  if (timer.state !== 'running' && timer.state !== 'paused') return [];
  stopClock(timer, calendar, at);
  timer.state = outcome;
  timer.stoppedAt = new Date(at);
  timer.pauseReason = null;
  schedule(timer, calendar);
  return [changeOf(timer, calendar, { kind: outcome }, at)];
}

/**
 * Moves a running or paused timer to another definition, keeping the working time used
 * so far; the new target's thresholds are announced again from the first one passed.
 */
export function retargetTimer(
  timer: SlaTimer,
  currentCalendar: BusinessCalendar,
  definition: SlaDefinition,
  newCalendar: BusinessCalendar,
  at: number,
): TimerChange[] {
  const running = timer.state === 'running';
  stopClock(timer, currentCalendar, at);
  timer.slaId = definition.id;
  timer.slaVersion = definition.version;
  timer.slaName = definition.name;
  timer.durationMs = definition.durationMs;
  timer.calendarId = definition.calendarId;
  timer.warningThresholds = definition.warningThresholds;
  timer.warningsFired = 0;
  if (running) timer.runningSince = new Date(at);
  schedule(timer, newCalendar);
  return [changeOf(timer, newCalendar, { kind: 'retargeted' }, at)];
}

export function timerStarted(timer: SlaTimer, calendar: BusinessCalendar): TimerChange[] {
  return [changeOf(timer, calendar, { kind: 'started' }, timer.startedAt.getTime())];
}
