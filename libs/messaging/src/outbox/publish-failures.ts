interface ErrorChainLink {
  name?: unknown;
  retriable?: unknown;
  type?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The error and every error it wraps (kafkajs keeps them in `cause` and `originalError`). */
function* errorChain(error: unknown): Generator<ErrorChainLink> {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length > 0) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const link = current as ErrorChainLink;
    yield link;
    pending.push(link.cause, link.originalError);
  }
}

/** Thrown when an outbox row cannot even be turned into a Kafka record. */
export class UnpublishableEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnpublishableEventError';
  }
}

/**
 * True when publishing failed for a reason no retry removes: the broker refused the
 * record itself (too large, invalid, against a policy: a Kafka protocol error it marks
 * not retriable), or the row cannot be made into a record. Anything else (the broker
 * unreachable, a leader moving, retries used up on such a failure) is transient.
 */
export function isPermanentPublishFailure(error: unknown): boolean {
  for (const link of errorChain(error)) {
    if (link.name === 'UnpublishableEventError') return true;
    if (link.name === 'KafkaJSProtocolError' && link.retriable === false) return true;
  }
  return false;
}

/** What an operator reads about a parked row: the error's type and message, innermost protocol error first. */
export function describePublishFailure(error: unknown): string {
  for (const link of errorChain(error)) {
    if (link.name === 'KafkaJSProtocolError' && typeof link.type === 'string') {
      const message = (link as { message?: unknown }).message;
      return `${link.type}: ${typeof message === 'string' ? message : ''}`.slice(0, 4000);
    }
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, 4000);
}
