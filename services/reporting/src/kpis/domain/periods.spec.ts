import { observedAt, periodsOf } from './periods';

const now = new Date('2027-06-01T00:00:00Z');

describe('periodsOf', () => {
  it('cuts a range into whole days of the time zone, a DST day being 23 hours long', () => {
    const periods = periodsOf(
      { from: new Date('2026-03-28T23:00:00Z'), to: new Date('2026-03-31T22:00:00Z') },
      'day',
      'Europe/Paris',
      now,
    );
    expect(periods.map(({ start, end }) => [start.toISOString(), end.toISOString()])).toEqual([
      ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z'],
      ['2026-03-30T22:00:00.000Z', '2026-03-31T22:00:00.000Z'],
    ]);
    expect(periods.every(({ partial }) => !partial)).toBe(true);
  });

  it('starts weeks on Monday and flags the periods the range cuts', () => {
    const periods = periodsOf(
      { from: new Date('2026-12-02T00:00:00Z'), to: new Date('2026-12-16T00:00:00Z') },
      'week',
      'UTC',
      now,
    );
    expect(periods.map(({ start, partial }) => [start.toISOString(), partial])).toEqual([
      ['2026-11-30T00:00:00.000Z', true],
      ['2026-12-07T00:00:00.000Z', false],
      ['2026-12-14T00:00:00.000Z', true],
    ]);
  });

  it('flags a period that has not ended yet as partial, and reads a stock of it now', () => {
    const [period] = periodsOf(
      { from: new Date('2027-05-01T00:00:00Z'), to: new Date('2027-07-01T00:00:00Z') },
      'month',
      'UTC',
      new Date('2027-05-10T12:00:00Z'),
    );
    expect(period).toMatchObject({ start: new Date('2027-05-01T00:00:00Z'), partial: true });
    expect(
      observedAt(
        period,
        { to: new Date('2027-07-01T00:00:00Z') },
        new Date('2027-05-10T12:00:00Z'),
      ),
    ).toEqual(new Date('2027-05-10T12:00:00Z'));
  });
});
