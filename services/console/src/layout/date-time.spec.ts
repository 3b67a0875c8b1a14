import { describe, expect, it } from '@jest/globals';
import { formatDateTime } from './date-time';

describe('formatDateTime', () => {
  it('shows an instant as toLocaleString does in the same language and zone', () => {
    const instant = '2026-11-22T04:48:08.123Z';
    expect(formatDateTime(instant)).toBe(new Date(instant).toLocaleString());
  });

  it('takes a Date as well as an ISO string', () => {
    const date = new Date('2026-03-01T23:59:59Z');
    expect(formatDateTime(date)).toBe(formatDateTime(date.toISOString()));
  });

  it('shows a different instant differently', () => {
    expect(formatDateTime('2026-01-01T00:00:00Z')).not.toBe(formatDateTime('2026-01-01T00:00:01Z'));
  });
});
