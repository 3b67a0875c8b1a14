import { describe, expect, it } from '@jest/globals';
import {
  fromDayParam,
  monthWeeks,
  placeOnDays,
  shiftAnchor,
  startOfWeek,
  toDayParam,
  visibleRange,
  weekDays,
} from './calendar';

const at = (y: number, m: number, d: number, h = 0, min = 0) =>
  new Date(y, m - 1, d, h, min).getTime();

describe('the days of a view', () => {
  it('starts weeks on Monday', () => {
    // Sunday 8 March 2026 belongs to the week of Monday 2 March.
    expect(toDayParam(startOfWeek(new Date(2026, 2, 8)))).toBe('2026-03-02');
    expect(toDayParam(startOfWeek(new Date(2026, 2, 9, 15)))).toBe('2026-03-09');
    expect(weekDays(new Date(2026, 2, 11)).map(toDayParam)).toEqual([
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
    ]);
  });

  it('covers a month with whole weeks', () => {
    // March 2026: Sunday the 1st to Tuesday the 31st, six rows.
    const weeks = monthWeeks(new Date(2026, 2, 17));
    expect(weeks).toHaveLength(6);
    expect(toDayParam(weeks[0][0])).toBe('2026-02-23');
    expect(toDayParam(weeks[5][6])).toBe('2026-04-05');
    // February 2027 starts on a Monday and ends on a Sunday: four rows.
    expect(monthWeeks(new Date(2027, 1, 1))).toHaveLength(4);
  });

  it('asks the schedule for exactly what is shown', () => {
    const { from, to } = visibleRange('week', new Date(2026, 2, 11));
    expect([from.getTime(), to.getTime()]).toEqual([at(2026, 3, 9), at(2026, 3, 16)]);
    const month = visibleRange('month', new Date(2026, 2, 11));
    expect([month.from.getTime(), month.to.getTime()]).toEqual([at(2026, 2, 23), at(2026, 4, 6)]);
  });

  it('moves by a month or a week', () => {
    expect(toDayParam(shiftAnchor('month', new Date(2026, 0, 31), 1))).toBe('2026-02-01');
    expect(toDayParam(shiftAnchor('month', new Date(2026, 0, 31), -1))).toBe('2025-12-01');
    expect(toDayParam(shiftAnchor('week', new Date(2026, 2, 11), 1))).toBe('2026-03-16');
  });

  it('reads a day from the address, and nothing else', () => {
    expect(fromDayParam('2026-03-09')?.getTime()).toBe(at(2026, 3, 9));
    expect(fromDayParam('2026-02-30')).toBeUndefined();
    expect(fromDayParam('March')).toBeUndefined();
    expect(fromDayParam(null)).toBeUndefined();
  });
});

describe('placeOnDays', () => {
  const days = weekDays(new Date(2026, 2, 9));

  it('puts an event on the hours of its day', () => {
    const [monday, tuesday] = placeOnDays(
      [{ id: 'a', start: at(2026, 3, 9, 6), end: at(2026, 3, 9, 12) }],
      days,
    );
    expect(monday).toHaveLength(1);
    expect(monday[0]).toMatchObject({
      top: 0.25,
      height: 0.25,
      lane: 0,
      lanes: 1,
      continuesFromBefore: false,
      continuesAfter: false,
    });
    expect(tuesday).toEqual([]);
  });

  it('splits an event across midnight, and ends on the day it ends before', () => {
    const placed = placeOnDays(
      [{ id: 'a', start: at(2026, 3, 9, 18), end: at(2026, 3, 11) }],
      days,
    );
    expect(placed.map((day) => day.length)).toEqual([1, 1, 0, 0, 0, 0, 0]);
    expect(placed[0][0]).toMatchObject({ top: 0.75, height: 0.25, continuesAfter: true });
    expect(placed[1][0]).toMatchObject({ top: 0, height: 1, continuesFromBefore: true });
  });

  it('keeps an event that started before the view', () => {
    const placed = placeOnDays([{ id: 'a', start: at(2026, 3, 1), end: at(2026, 3, 9, 2) }], days);
    expect(placed[0][0]).toMatchObject({ continuesFromBefore: true, top: 0 });
  });

  it('sets overlapping events side by side, and others full width', () => {
    const [monday] = placeOnDays(
      [
        { id: 'b', start: at(2026, 3, 9, 10), end: at(2026, 3, 9, 14) },
        { id: 'a', start: at(2026, 3, 9, 9), end: at(2026, 3, 9, 12) },
        { id: 'c', start: at(2026, 3, 9, 12), end: at(2026, 3, 9, 13) },
        { id: 'd', start: at(2026, 3, 9, 18), end: at(2026, 3, 9, 19) },
      ],
      days,
    );
    const lanes = Object.fromEntries(monday.map((s) => [s.event.id, [s.lane, s.lanes]]));
    // a and b overlap; c starts when a ends and takes its column; d stands alone.
    expect(lanes).toEqual({ a: [0, 2], b: [1, 2], c: [0, 2], d: [0, 1] });
    expect(monday.map((s) => s.event.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
