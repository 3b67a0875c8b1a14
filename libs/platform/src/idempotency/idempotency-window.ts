/** How long a retry with the same Idempotency-Key gets the first answer. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
