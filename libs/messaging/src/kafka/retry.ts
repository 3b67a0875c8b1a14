import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Retries a Kafka call while it fails with an error Kafka calls retriable, e.g. "the
 * coordinator is loading" right after a broker starts, which kafkajs' admin client passes on.
 */
export async function retryWhileRetriable<T>(
  call: () => Promise<T>,
  deadlineMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await call();
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || Date.now() + delay > deadline)
        throw error;
      await sleep(delay);
    }
  }
}
