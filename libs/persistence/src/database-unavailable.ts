/**
 * Whether an error means the database cannot be reached or is not taking work right now
 * (down, restarting, out of connections, too slow), as opposed to a fault of the request
 * or of the code. Those are answered 503 with Retry-After, not 500: the caller may retry,
 * and nothing is wrong with what it sent.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // TypeORM wraps the driver's error (driverError), and callers wrap with `cause`: walk both.
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    if (looksUnavailable(current)) return true;
    const { driverError, cause } = current as ErrorLike;
    current = driverError ?? cause;
  }
  return false;
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/** Socket errors of the connection to PostgreSQL. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLSTATEs of a server that is going away, starting, full, or cancelled a statement that ran too long. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout (the only cancel the services ask for)
]);

/** What node-postgres and its pool say, without a code, when a connection dies or never comes. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

function looksUnavailable(error: ErrorLike): boolean {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) return true;
  // Class 08: connection exceptions.
  if (code && /^08[0-9A-Z]{3}$/.test(code)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((known) => message.includes(known));
}
