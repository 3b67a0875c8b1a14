/**
 * Kafka topic names. One topic per domain, keyed by record id so that one record's
 * events stay in order. A breaking change to a topic's contract gets a new version suffix.
 */
export const Topics = {
  incidentEvents: 'itsm.incident.events.v1',
  problemEvents: 'itsm.problem.events.v1',
  changeEvents: 'itsm.change.events.v1',
  slaEvents: 'itsm.sla.events.v1',
  cmdbEvents: 'itsm.cmdb.events.v1',
  directoryEvents: 'itsm.directory.events.v1',
  reportEvents: 'itsm.report.events.v1',
} as const;

export type DomainTopic = (typeof Topics)[keyof typeof Topics];

export const ALL_DOMAIN_TOPICS: readonly DomainTopic[] = Object.values(Topics);

/** Each consumer group has its own dead-letter topic, so one group's poison never blocks another's. */
export function deadLetterTopic(consumerGroup: string): string {
  return `itsm.dlq.${consumerGroup}.v1`;
}
