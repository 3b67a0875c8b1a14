import { serviceSource } from './envelope/cloud-event';
import { Topics, type DomainTopic } from './topics';

/**
 * The one service that publishes on each domain topic. Consumers trust an event only
 * when its CloudEvents `source` is this service's: any client that can write to a topic
 * could otherwise make one service act on another's behalf (e.g. a forged SLA breach
 * escalating an incident). Each service's `publishes` names exactly the topics it owns
 * here (a unit test compares the two).
 */
export const TOPIC_OWNERS: Readonly<Record<DomainTopic, string>> = {
  [Topics.incidentEvents]: 'incident',
  [Topics.problemEvents]: 'problem',
  [Topics.changeEvents]: 'change',
  [Topics.slaEvents]: 'slm',
  [Topics.cmdbEvents]: 'cmdb',
  [Topics.directoryEvents]: 'gateway',
  [Topics.reportEvents]: 'reporting',
};

/** The `source` every event on the topic must carry; undefined for a topic no service owns. */
export function topicOwnerSource(topic: string): string | undefined {
  const owner = TOPIC_OWNERS[topic as DomainTopic] as string | undefined;
  return owner === undefined ? undefined : serviceSource(owner);
}

export class UntrustedEventSourceError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UntrustedEventSourceError';
  }
}

/** Refuses an event whose `source` is not the service that owns the topic it was read from. */
export function assertFromTopicOwner(topic: string, source: string): void {
  const expected = topicOwnerSource(topic);
  if (expected === undefined)
    throw new UntrustedEventSourceError(
      `no service owns topic ${topic}: its events are not trusted`,
    );
  if (source !== expected)
    throw new UntrustedEventSourceError(
      `source ${JSON.stringify(source)} may not publish on ${topic}: only ${expected} does`,
    );
}
