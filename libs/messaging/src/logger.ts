/** The slice of a logger the messaging classes need; a Nest `Logger` with its context satisfies it. */
export interface MessagingLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
}

export function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack };
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return { name: 'Error', message: String(error.message) };
  }
  return { name: 'Error', message: String(error) };
}
