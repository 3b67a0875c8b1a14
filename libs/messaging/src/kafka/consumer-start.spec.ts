import { parseConsumerStart } from './consumer-start';
import { retryWhileRetriable } from './retry';

describe('where a new consumer group starts', () => {
  it('reads earliest, latest or a point in time, and nothing else', () => {
    expect(parseConsumerStart('earliest')).toEqual({ from: 'earliest' });
    expect(parseConsumerStart('latest')).toEqual({ from: 'latest' });
    expect(parseConsumerStart('2026-11-22T10:00:00Z')).toEqual({
      from: 'time',
      at: new Date('2026-11-22T10:00:00Z'),
    });
    expect(parseConsumerStart('yesterday')).toBeUndefined();
    expect(parseConsumerStart('2026-13-45T99:00:00Z')).toBeUndefined();
  });
});

describe('retrying Kafka calls', () => {
  it('retries what Kafka calls retriable until it succeeds', async () => {
    let calls = 0;
    const result = await retryWhileRetriable(async () => {
      calls += 1;
      if (calls < 3)
        throw Object.assign(new Error('The coordinator is loading'), { retriable: true });
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('passes any other error on at once', async () => {
    let calls = 0;
    const failing = retryWhileRetriable(async () => {
      calls += 1;
      throw Object.assign(new Error('not authorised'), { retriable: false });
    });
    await expect(failing).rejects.toThrow('not authorised');
    expect(calls).toBe(1);
  });
});
