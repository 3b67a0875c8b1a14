/** The LISTEN/NOTIFY channel that wakes a service's relay when its outbox gets a row. */
export function outboxChannel(schema: string | undefined): string {
  return `itsm_outbox_${schema ?? 'public'}`;
}
