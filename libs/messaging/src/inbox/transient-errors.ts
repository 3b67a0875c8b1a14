const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when the failure is the platform's (database unreachable or restarting), not the
 * message's. Such failures must never dead-letter a message: it is retried until the
 * database is back.
 */
export function isTransientInfrastructureError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (operator intervention: shutdown, restart).
    if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P')) return true;
    if (TRANSIENT_NODE_CODES.has(code)) return true;
  }
  if (typeof message === 'string') {
    return /Connection terminated|connection.*(closed|refused|ended)|timeout exceeded when trying to connect/i.test(
      message,
    );
  }
  return false;
}

/** SQLSTATE serialization_failure and deadlock_detected. */
const CONCURRENCY_CONFLICT_CODES = new Set(['40001', '40P01']);

/**
 * True when PostgreSQL rolled the transaction back because of another one running beside
 * it (a serialization failure or a deadlock): the same work succeeds when run again, so it
 * is neither the message's fault nor an outage.
 */
export function isConcurrencyConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && CONCURRENCY_CONFLICT_CODES.has(code);
}
