import { ConsumptionWatermark } from './consumption-watermark';

const offsets = (entries: Record<string, number>) =>
  new Map(Object.entries(entries).map(([key, value]) => [key, BigInt(value)]));

describe('the instant up to which a consumer group has consumed', () => {
  it('is unknown until the group reaches the end offsets of a sample on every partition', () => {
    const watermark = new ConsumptionWatermark();
    watermark.addSample(1000, offsets({ 't:0': 5, 't:1': 3 }));
    expect(watermark.advance(offsets({ 't:0': 5, 't:1': 2 }))).toBe(Number.NEGATIVE_INFINITY);
    expect(watermark.advance(offsets({ 't:0': 5, 't:1': 3 }))).toBe(1000);
    expect(watermark.instant).toBe(1000);
  });

  it('counts a partition the group has no offset on as not consumed', () => {
    const watermark = new ConsumptionWatermark();
    watermark.addSample(1000, offsets({ 't:0': 1 }));
    expect(watermark.advance(new Map())).toBe(Number.NEGATIVE_INFINITY);
  });

  it('moves on sample by sample while the group works through a backlog', () => {
    const watermark = new ConsumptionWatermark();
    watermark.addSample(1000, offsets({ 't:0': 10 }));
    watermark.addSample(2000, offsets({ 't:0': 20 }));
    watermark.addSample(3000, offsets({ 't:0': 30 }));
    expect(watermark.advance(offsets({ 't:0': 25 }))).toBe(2000);
    expect(watermark.advance(offsets({ 't:0': 29 }))).toBe(2000);
    expect(watermark.advance(offsets({ 't:0': 30 }))).toBe(3000);
  });

  it('never moves back, whatever the offsets read later', () => {
    const watermark = new ConsumptionWatermark();
    watermark.addSample(2000, offsets({ 't:0': 4 }));
    watermark.advance(offsets({ 't:0': 4 }));
    watermark.addSample(1500, offsets({ 't:0': 0 }));
    watermark.addSample(3000, offsets({ 't:0': 9 }));
    expect(watermark.advance(offsets({ 't:0': 0 }))).toBe(2000);
  });

  it('keeps the earliest samples when the group falls further behind than it can hold', () => {
    const watermark = new ConsumptionWatermark(2);
    watermark.addSample(1000, offsets({ 't:0': 1 }));
    watermark.addSample(2000, offsets({ 't:0': 2 }));
    watermark.addSample(3000, offsets({ 't:0': 3 }));
    expect(watermark.advance(offsets({ 't:0': 3 }))).toBe(2000);
    watermark.addSample(4000, offsets({ 't:0': 4 }));
    expect(watermark.advance(offsets({ 't:0': 4 }))).toBe(4000);
  });
});
