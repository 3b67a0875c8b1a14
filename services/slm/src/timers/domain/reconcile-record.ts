import { type IncidentSnapshot } from '@itsm/contracts';
import { type BusinessCalendar } from '../../calendars/domain/business-calendar';
import {
  appliesTo,
  cancelHolds,
  startHolds,
  stopHolds,
  type SlaDefinition,
} from '../../slas/domain/sla-definition';
import {
  fireDue,
  pauseTimer,
  resumeTimer,
  retargetTimer,
  startTimer,
  timerStarted,
  stopTimer,
  type SlaTimer,
  type TimerChange,
} from './sla-timer';

/** What the engine remembered of the record before this event; undefined the first time it is seen. */
export interface KnownRecord {
  priority: string;
  reopenCount: number;
}

export interface RecordSituation {
  record: IncidentSnapshot;
  known: KnownRecord | undefined;
  /** When the change happened (the event's time). */
  at: number;
  /** When the engine handles it. */
  now: number;
  /** The record's timers, every state. */
  timers: SlaTimer[];
  /** The current version of every active definition for the record's type. */
  definitions: SlaDefinition[];
  /** The version each existing timer runs on, by `${slaId}@${version}`. */
  timerDefinitions: ReadonlyMap<string, SlaDefinition>;
  calendars: ReadonlyMap<string, BusinessCalendar>;
  newId: () => string;
}

export interface RecordOutcome {
  created: SlaTimer[];
  /** Every event to announce, in the order it happened. */
  changes: TimerChange[];
}

export const definitionKey = (slaId: string, version: number) => `${slaId}@${version}`;

const OPEN_STATES = new Set(['running', 'paused']);

/**
 * Brings a record's timers in line with the record as an event shows it. Working from
 * the whole snapshot rather than from the event type makes the outcome the same whichever
 * of a change's several events arrives, and nothing happens when the same state is seen again.
 */
export function reconcileRecord(situation: RecordSituation): RecordOutcome {
  const { record, known, at, now, timers, calendars } = situation;
  const calendarOf = (calendarId: string): BusinessCalendar => {
    const calendar = calendars.get(calendarId);
    if (!calendar) throw new Error(`calendar ${calendarId} is missing`);
    return calendar;
  };
  const definitionOf = (timer: SlaTimer): SlaDefinition => {
    const definition = situation.timerDefinitions.get(definitionKey(timer.slaId, timer.slaVersion));
    if (!definition)
      throw new Error(`definition ${timer.slaId} version ${timer.slaVersion} is missing`);
    return definition;
  };
  const changes: TimerChange[] = [];
  const created: SlaTimer[] = [];
  /** Announces what is due up to the change (never ahead of the clock), in this transaction. */
  const announceDue = (timer: SlaTimer): void => {
    changes.push(...fireDue(timer, calendarOf(timer.calendarId), Math.min(at, now), now));
  };

  // Whatever came due before this change happened is announced first.
  for (const timer of timers) announceDue(timer);

  const applicable = situation.definitions.filter((definition) => appliesTo(definition, record));
  const measured = new Set(timers.map((timer) => timer.slaId));
  const priorityChanged = known !== undefined && known.priority !== record.priority;

  for (const timer of timers) {
    if (!OPEN_STATES.has(timer.state) || applicable.some((d) => d.id === timer.slaId)) continue;
    const replacement = priorityChanged
      ? applicable.find(
          (d) => !measured.has(d.id) && d.kind === timer.kind && d.target === timer.target,
        )
      : undefined;
    if (replacement) {
      measured.add(replacement.id);
      const before = calendarOf(timer.calendarId);
      changes.push(
        ...retargetTimer(timer, before, replacement, calendarOf(replacement.calendarId), at),
      );
      // The new target's thresholds (and due time) the time used has already passed are
      // announced with the re-targeting, before the change's other rules (a stop) apply.
      announceDue(timer);
    } else {
      changes.push(...stopTimer(timer, calendarOf(timer.calendarId), at, 'cancelled'));
    }
  }

  const reopened = known !== undefined && record.reopenCount > known.reopenCount;
  for (const timer of timers) {
    // A re-targeted timer now follows its new definition's rules.
    const definition =
      applicable.find((d) => d.id === timer.slaId && d.version === timer.slaVersion) ??
      definitionOf(timer);
    const calendar = calendarOf(timer.calendarId);
    if (cancelHolds(definition, record)) {
      changes.push(...stopTimer(timer, calendar, at, 'cancelled'));
    } else if (stopHolds(definition, record)) {
      changes.push(...stopTimer(timer, calendar, at, 'met'));
    } else if (timer.state === 'met' && reopened) {
      changes.push(...resumeTimer(timer, calendar, at));
      announceDue(timer);
    } else if (definition.pauseStates.includes(record.state)) {
      changes.push(...pauseTimer(timer, calendar, at, record.holdReason ?? record.state));
    } else if (timer.state === 'paused') {
      // A timer re-targeted while paused may resume past its new target's thresholds.
      changes.push(...resumeTimer(timer, calendar, at));
      announceDue(timer);
    }
  }

  for (const definition of applicable) {
    if (measured.has(definition.id)) continue;
    if (
      !startHolds(definition, record) ||
      stopHolds(definition, record) ||
      cancelHolds(definition, record)
    )
      continue;
    // A timer that starts with the record (or with the first we hear of it) counts from its opening.
    const startsWithRecord = known === undefined;
    const startedAt = startsWithRecord ? Math.min(Date.parse(record.openedAt), at) : at;
    const calendar = calendarOf(definition.calendarId);
    const timer = startTimer(
      {
        id: situation.newId(),
        recordId: record.id,
        recordType: record.type,
        recordNumber: record.number,
        businessServiceId: record.businessServiceId,
        assignmentGroup: record.assignmentGroup,
        slaId: definition.id,
        slaVersion: definition.version,
        slaName: definition.name,
        kind: definition.kind,
        target: definition.target,
        calendarId: definition.calendarId,
        durationMs: definition.durationMs,
        warningThresholds: definition.warningThresholds,
        startedAt: new Date(startedAt),
      },
      calendar,
    );
    created.push(timer);
    changes.push(...timerStarted(timer, calendar));
    if (definition.pauseStates.includes(record.state))
      changes.push(...pauseTimer(timer, calendar, at, record.holdReason ?? record.state));
  }

  // Open timers follow the record's service and group, so compliance is reported where the work is.
  for (const timer of [...timers, ...created]) {
    if (!OPEN_STATES.has(timer.state) && timer.state !== 'breached') continue;
    timer.businessServiceId = record.businessServiceId;
    timer.assignmentGroup = record.assignmentGroup;
  }
  return { created, changes };
}
