import { WEEKDAYS, type BusinessCalendar } from '../../calendars/domain/business-calendar';
import {
  fireDue,
  pauseTimer,
  resumeTimer,
  startTimer,
  stopTimer,
  type SlaTimer,
} from './sla-timer';

const HOUR = 3_600_000;
const officeHours: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  workingHours: Object.fromEntries(
    WEEKDAYS.slice(0, 5).map((day) => [day, [{ start: '09:00', end: '17:00' }]]),
  ),
  holidays: [],
};
const at = (iso: string) => Date.parse(iso);

function fourHourTimer(startedAt: string): SlaTimer {
  return startTimer(
    {
      id: 'timer',
      recordId: 'record',
      recordType: 'incident',
      recordNumber: 'INC0000001',
      businessServiceId: null,
      assignmentGroup: null,
      slaId: 'sla',
      slaVersion: 1,
      slaName: 'P2 resolution',
      kind: 'sla',
      target: 'resolution',
      calendarId: 'office',
      durationMs: 4 * HOUR,
      warningThresholds: [50, 75],
      startedAt: new Date(startedAt),
    },
    officeHours,
  );
}

describe('an SLA timer on office hours', () => {
  it('is due after four working hours and fires its warnings, then its breach, in order', () => {
    const timer = fourHourTimer('2026-11-20T14:00:00Z'); // Friday 15:00 in Berlin
    expect(timer.dueAt?.toISOString()).toBe('2026-11-23T10:00:00.000Z'); // Monday 11:00
    expect(timer.nextFireAt?.toISOString()).toBe('2026-11-20T16:00:00.000Z'); // 50 %: Friday 17:00

    const late = at('2026-11-23T12:00:00Z');
    const fired = fireDue(timer, officeHours, late, late);
    expect(fired.map((change) => [change.happening, new Date(change.at).toISOString()])).toEqual([
      [{ kind: 'warning', threshold: 50 }, '2026-11-20T16:00:00.000Z'],
      [{ kind: 'warning', threshold: 75 }, '2026-11-23T09:00:00.000Z'],
      [{ kind: 'breached' }, '2026-11-23T12:00:00.000Z'],
    ]);
    expect(fired[1].snapshot.percentUsed).toBe(75);
    expect(timer).toMatchObject({ state: 'breached', nextFireAt: null });
    expect(fireDue(timer, officeHours, late, late)).toEqual([]);
  });

  it('a pause moves the due time by the working time it lasted, not the wall-clock time', () => {
    const timer = fourHourTimer('2026-11-23T08:00:00Z'); // Monday 09:00
    pauseTimer(timer, officeHours, at('2026-11-23T09:00:00Z'), 'awaiting_caller');
    expect(timer).toMatchObject({
      state: 'paused',
      dueAt: null,
      nextFireAt: null,
      elapsedMs: HOUR,
    });
    resumeTimer(timer, officeHours, at('2026-11-24T09:00:00Z')); // Tuesday 10:00
    expect(timer.dueAt?.toISOString()).toBe('2026-11-24T12:00:00.000Z'); // three hours left
    const [met] = stopTimer(timer, officeHours, at('2026-11-24T10:00:00Z'), 'met');
    expect(met.snapshot).toMatchObject({ state: 'met', elapsedMs: 2 * HOUR, percentUsed: 50 });
  });

  it('a breached timer keeps counting until its stop condition, then stays breached', () => {
    const timer = fourHourTimer('2026-11-23T08:00:00Z');
    fireDue(timer, officeHours, at('2026-11-23T13:00:00Z'), at('2026-11-23T13:00:00Z'));
    expect(stopTimer(timer, officeHours, at('2026-11-23T15:00:00Z'), 'met')).toEqual([]);
    expect(timer).toMatchObject({ state: 'breached', elapsedMs: 7 * HOUR, runningSince: null });
  });

  it('a holiday added to the calendar after the timer was scheduled moves its due time', () => {
    const timer = fourHourTimer('2026-12-23T08:00:00Z'); // Wednesday 09:00
    expect(timer.dueAt?.toISOString()).toBe('2026-12-23T12:00:00.000Z');
    const withHoliday = { ...officeHours, holidays: ['2026-12-23'] };
    const then = at('2026-12-23T12:00:00Z');
    expect(fireDue(timer, withHoliday, then, then)).toEqual([]);
    expect(timer).toMatchObject({ state: 'running', dueAt: new Date('2026-12-24T12:00:00Z') });
  });
});
