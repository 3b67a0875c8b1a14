import { type IncidentSnapshot } from '@itsm/contracts';
import { WEEKDAYS, type BusinessCalendar } from '../../calendars/domain/business-calendar';
import {
  DEFAULT_CANCEL_STATES,
  DEFAULT_PAUSE_STATES,
  DEFAULT_RESOLUTION_STOP_STATES,
  DEFAULT_START_STATES,
  type SlaDefinition,
} from '../../slas/domain/sla-definition';
import { definitionKey, reconcileRecord, type KnownRecord } from './reconcile-record';
import { type SlaTimer } from './sla-timer';

const MINUTE = 60_000;
const CALENDAR_ID = '24x7';
const allDay: BusinessCalendar = {
  timeZone: 'UTC',
  workingHours: Object.fromEntries(
    WEEKDAYS.map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
  ),
  holidays: [],
};
const T0 = Date.parse('2026-11-23T08:00:00Z');
const at = (minutes: number) => T0 + minutes * MINUTE;

function resolutionFor(priority: string, id: string, durationMs: number): SlaDefinition {
  return {
    id,
    version: 1,
    name: `${priority} resolution`,
    kind: 'sla',
    target: 'resolution',
    recordType: 'incident',
    priorities: [priority],
    businessServiceId: null,
    category: null,
    assignmentGroup: null,
    durationMs,
    calendarId: CALENDAR_ID,
    pauseStates: DEFAULT_PAUSE_STATES,
    warningThresholds: [50, 90],
    startStates: DEFAULT_START_STATES,
    stopStates: DEFAULT_RESOLUTION_STOP_STATES,
    stopOnFirstResponse: false,
    cancelStates: DEFAULT_CANCEL_STATES,
    active: true,
  };
}

const p3 = resolutionFor('P3', 'p3', 480 * MINUTE);
const p1 = resolutionFor('P1', 'p1', 60 * MINUTE);

function record(fields: Partial<IncidentSnapshot>): IncidentSnapshot {
  return {
    id: 'record',
    number: 'INC0000001',
    type: 'incident',
    title: 'Mail is down',
    description: '',
    requester: 'agent',
    source: 'portal',
    category: null,
    subcategory: null,
    catalogItem: null,
    businessServiceId: null,
    ciIds: [],
    impact: 3,
    urgency: 3,
    priority: 'P3',
    priorityOverrideReason: null,
    state: 'in_progress',
    holdReason: null,
    awaitingChangeId: null,
    assignmentGroup: null,
    assignee: null,
    major: false,
    parentId: null,
    problemId: null,
    escalationLevel: 0,
    resolutionCode: null,
    resolutionNotes: null,
    openedAt: new Date(T0).toISOString(),
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    tags: [],
    externalRef: null,
    updatedAt: new Date(T0).toISOString(),
    version: 1,
    ...fields,
  };
}

/**
 * A record's timers through its events: each `apply` is the record as of `minutes`, handled
 * as the engine handles an event at that moment; answers what it announced.
 */
class RecordTimers {
  timers: SlaTimer[] = [];
  private known: KnownRecord | undefined;

  apply(minutes: number, fields: Partial<IncidentSnapshot>) {
    const snapshot = record(fields);
    const outcome = reconcileRecord({
      record: snapshot,
      known: this.known,
      at: at(minutes),
      now: at(minutes),
      timers: this.timers,
      definitions: [p3, p1],
      timerDefinitions: new Map([p3, p1].map((d) => [definitionKey(d.id, d.version), d])),
      calendars: new Map([[CALENDAR_ID, allDay]]),
      newId: () => 'timer',
    });
    this.timers.push(...outcome.created);
    this.known = { priority: snapshot.priority, reopenCount: snapshot.reopenCount };
    return outcome.changes.map((change) => [
      change.happening.kind,
      'threshold' in change.happening ? change.happening.threshold : undefined,
      new Date(change.at).toISOString(),
    ]);
  }
}

const iso = (minutes: number) => new Date(at(minutes)).toISOString();

describe('re-targeting to a target the time used has already passed', () => {
  it('announces the passed warnings and the breach with the re-targeting, before the same change resolves it', () => {
    const incident = new RecordTimers();
    incident.apply(0, {});
    // 90 minutes in, raised to P1 (an hour) and resolved in one change: breached, not met.
    expect(incident.apply(90, { priority: 'P1', state: 'resolved', version: 2 })).toEqual([
      ['retargeted', undefined, iso(90)],
      ['warning', 50, iso(90)],
      ['warning', 90, iso(90)],
      ['breached', undefined, iso(90)],
    ]);
    expect(incident.timers).toEqual([
      expect.objectContaining({
        slaId: 'p1',
        state: 'breached',
        elapsedMs: 90 * MINUTE,
        breachedAt: new Date(at(90)),
        stoppedAt: new Date(at(90)),
      }),
    ]);
  });

  it('a timer re-targeted while paused announces them when it resumes', () => {
    const incident = new RecordTimers();
    incident.apply(0, {});
    const onHold = { state: 'on_hold', holdReason: 'awaiting_caller' } as const;
    expect(incident.apply(40, { ...onHold, version: 2 })).toEqual([['paused', undefined, iso(40)]]);
    expect(incident.apply(50, { ...onHold, priority: 'P1', version: 3 })).toEqual([
      ['retargeted', undefined, iso(50)],
    ]);
    // 40 minutes used of the hour: 50 % is passed at the resume, 90 % lies 14 minutes on.
    expect(incident.apply(70, { priority: 'P1', state: 'in_progress', version: 4 })).toEqual([
      ['resumed', undefined, iso(70)],
      ['warning', 50, iso(70)],
    ]);
    expect(incident.timers[0]).toMatchObject({
      state: 'running',
      nextFireAt: new Date(at(84)),
      dueAt: new Date(at(90)),
    });
  });
});
