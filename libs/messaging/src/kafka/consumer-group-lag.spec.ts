import { lagOf } from './consumer-group-lag';

describe('a consumer group’s lag on one partition', () => {
  it('is the records between its committed offset and the partition’s end', () => {
    expect(lagOf({ high: '120', low: '0', committed: '100' })).toBe(20);
  });

  it('is nothing once it has committed the end', () => {
    expect(lagOf({ high: '120', low: '0', committed: '120' })).toBe(0);
  });

  it('is what the partition keeps when the group never committed', () => {
    expect(lagOf({ high: '120', low: '20', committed: '-1' })).toBe(100);
    expect(lagOf({ high: '120', low: '20', committed: undefined })).toBe(100);
  });

  it('counts from the first record kept when retention removed what the group had not read', () => {
    expect(lagOf({ high: '120', low: '50', committed: '10' })).toBe(70);
  });

  it('is never negative', () => {
    expect(lagOf({ high: '5', low: '0', committed: '7' })).toBe(0);
  });
});
