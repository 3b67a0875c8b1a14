import { RuleViolation } from '@itsm/domain';
import {
  applyCabMeetingChanges,
  cabOccurrences,
  checkCabMeeting,
  defineCabMeeting,
  diffCabMeetings,
  nextCabOccurrence,
  occurrenceStartingAt,
  retireCabMeeting,
  type CabMeetingDefinition,
} from './cab-meeting';

const CAB: CabMeetingDefinition = {
  id: 'cab-weekly',
  name: 'Weekly CAB',
  recurrence: 'FREQ=WEEKLY;BYDAY=TU',
  firstStart: '2026-03-03T14:00',
  timeZone: 'Europe/Paris',
  durationMinutes: 60,
  approverGroup: 'change-advisory-board',
  agendaLookAheadDays: 14,
};

function violation(meeting: Partial<CabMeetingDefinition>): RuleViolation {
  try {
    checkCabMeeting({ ...CAB, ...meeting });
  } catch (error) {
    expect(error).toBeInstanceOf(RuleViolation);
    return error as RuleViolation;
  }
  throw new Error('expected a RuleViolation');
}

describe('a CAB meeting', () => {
  it('recurs at its wall-clock time across a DST change', () => {
    const occurrences = cabOccurrences(
      CAB,
      new Date('2026-03-20T00:00:00Z'),
      new Date('2026-04-07T12:00:00Z'),
    );
    expect(occurrences).toEqual([
      {
        meetingId: 'cab-weekly',
        start: new Date('2026-03-24T13:00:00Z'),
        end: new Date('2026-03-24T14:00:00Z'),
        agendaUntil: new Date('2026-04-07T13:00:00Z'),
      },
      {
        meetingId: 'cab-weekly',
        start: new Date('2026-03-31T12:00:00Z'),
        end: new Date('2026-03-31T13:00:00Z'),
        agendaUntil: new Date('2026-04-14T12:00:00Z'),
      },
    ]);
  });

  it('counts a meeting starting at `from`, not one starting at `to`', () => {
    const starts = cabOccurrences(
      CAB,
      new Date('2026-03-24T13:00:00Z'),
      new Date('2026-03-31T12:00:00Z'),
    ).map((occurrence) => occurrence.start.toISOString());
    expect(starts).toEqual(['2026-03-24T13:00:00.000Z']);
    expect(
      cabOccurrences(CAB, new Date('2026-03-31T00:00:00Z'), new Date('2026-03-30T00:00:00Z')),
    ).toEqual([]);
  });

  it('finds the next meeting, and none after a rule ends', () => {
    expect(nextCabOccurrence(CAB, new Date('2026-03-25T00:00:00Z'))?.start).toEqual(
      new Date('2026-03-31T12:00:00Z'),
    );
    expect(nextCabOccurrence(CAB, new Date('2026-03-31T12:00:00Z'))?.start).toEqual(
      new Date('2026-03-31T12:00:00Z'),
    );
    const twice = { ...CAB, recurrence: 'RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=2' };
    expect(nextCabOccurrence(twice, new Date('2026-03-11T00:00:00Z'))).toBeNull();
  });

  it('expands at most a year at a time', () => {
    expect(() =>
      cabOccurrences(CAB, new Date('2026-01-01T00:00:00Z'), new Date('2027-06-01T00:00:00Z')),
    ).toThrow('to must be at most 366 days after from');
  });

  it('accepts a valid definition', () => {
    expect(() => checkCabMeeting(CAB)).not.toThrow();
    expect(() =>
      checkCabMeeting({
        ...CAB,
        recurrence: 'RRULE:FREQ=MONTHLY;BYDAY=1MO',
        firstStart: '2026-03-02T09:30:00',
      }),
    ).not.toThrow();
  });

  it.each([
    [{ name: ' ' }, 'name'],
    [{ approverGroup: '' }, 'approverGroup'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ firstStart: 'next tuesday' }, 'firstStart'],
    [{ firstStart: '2026-02-30T14:00' }, 'firstStart'],
    [{ firstStart: '2026-03-03T24:30' }, 'firstStart'],
    [{ recurrence: 'FREQ=HOURLY' }, 'recurrence'],
    [{ recurrence: 'BYDAY=TU' }, 'recurrence'],
    [{ recurrence: 'FREQ=WEEKLY;BYDAY=XX' }, 'recurrence'],
    [{ recurrence: 'DTSTART:20260303T140000\nRRULE:FREQ=WEEKLY' }, 'recurrence'],
    [{ durationMinutes: 0 }, 'durationMinutes'],
    [{ durationMinutes: 30.5 }, 'durationMinutes'],
    [{ agendaLookAheadDays: 0 }, 'agendaLookAheadDays'],
    [{ agendaLookAheadDays: 91 }, 'agendaLookAheadDays'],
  ] as [Partial<CabMeetingDefinition>, string][])('refuses %j, naming %s', (fields, field) => {
    const error = violation(fields);
    expect(error.field).toBe(field);
  });
});

describe('a CAB meeting definition as stored', () => {
  const defined = defineCabMeeting(
    { ...CAB, name: ' Weekly CAB ', recurrence: 'RRULE:FREQ=WEEKLY;BYDAY=TU', createdBy: 'cm' },
    'cab-weekly',
    new Date('2026-03-01T00:00:00Z'),
  );

  it('is defined trimmed, active, at version 1', () => {
    expect(defined).toMatchObject({
      name: 'Weekly CAB',
      recurrence: 'FREQ=WEEKLY;BYDAY=TU',
      active: true,
      version: 1,
      createdBy: 'cm',
    });
  });

  it('takes changes checked whole, and says which fields changed', () => {
    const changed = applyCabMeetingChanges(defined, { durationMinutes: 90, name: undefined });
    expect(diffCabMeetings(defined, changed)).toEqual([
      { field: 'durationMinutes', oldValue: 60, newValue: 90 },
    ]);
    expect(() => applyCabMeetingChanges(defined, { timeZone: 'Nowhere/Else' })).toThrow(
      RuleViolation,
    );
  });

  it('is retired once: again changes nothing, and a retired one takes no change', () => {
    const retired = retireCabMeeting(defined, 'cm', new Date('2026-04-01T00:00:00Z'));
    expect(retired).toMatchObject({ active: false, retiredBy: 'cm' });
    expect(retireCabMeeting(retired, 'other', new Date())).toBe(retired);
    expect(() => applyCabMeetingChanges(retired, { durationMinutes: 30 })).toThrow('is retired');
  });

  it('knows its meetings by their exact start', () => {
    expect(occurrenceStartingAt(defined, new Date('2026-03-31T12:00:00Z'), 'start').start).toEqual(
      new Date('2026-03-31T12:00:00Z'),
    );
    expect(() => occurrenceStartingAt(defined, new Date('2026-03-31T13:00:00Z'), 'start')).toThrow(
      RuleViolation,
    );
  });
});
