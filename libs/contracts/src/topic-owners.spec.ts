import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  TOPIC_OWNERS,
  UntrustedEventSourceError,
  assertFromTopicOwner,
  topicOwnerSource,
} from './topic-owners';
import { Topics } from './topics';

const SERVICES_DIR = join(__dirname, '..', '..', '..', 'services');

/** `service topic` for each topic in the `publishes` of each service's definition. */
function topicsTheServicesPublish(): string[] {
  return readdirSync(SERVICES_DIR).flatMap((service) => {
    const definition = readFileSync(join(SERVICES_DIR, service, 'src', 'service.definition.ts'), {
      encoding: 'utf8',
    });
    const publishes = /publishes:\s*\[([^\]]*)\]/.exec(definition)?.[1];
    if (publishes === undefined) throw new Error(`${service}: no publishes in its definition`);
    return [...publishes.matchAll(/Topics\.(\w+)/g)].map(
      ([, name]) => `${service} ${Topics[name as keyof typeof Topics]}`,
    );
  });
}

describe('the owner of each topic', () => {
  it('is the service whose definition publishes on it, one per topic', () => {
    expect(
      Object.entries(TOPIC_OWNERS)
        .map(([topic, service]) => `${service} ${topic}`)
        .sort(),
    ).toEqual(topicsTheServicesPublish().sort());
  });

  it('is named by the CloudEvents source its events carry', () => {
    expect(topicOwnerSource(Topics.incidentEvents)).toBe('/itsm/incident');
    expect(topicOwnerSource(Topics.slaEvents)).toBe('/itsm/slm');
    expect(topicOwnerSource('itsm.unknown.events.v1')).toBeUndefined();
  });

  it('accepts an event from the owner of its topic', () => {
    expect(() => assertFromTopicOwner(Topics.directoryEvents, '/itsm/gateway')).not.toThrow();
  });

  it.each([
    ['another service', '/itsm/cmdb'],
    ['a near miss', '/itsm/incident/'],
    ['an empty source', ''],
  ])('refuses an event on a topic from %s, naming both sources', (_, source) => {
    expect(() => assertFromTopicOwner(Topics.incidentEvents, source)).toThrow(
      new UntrustedEventSourceError(
        `source ${JSON.stringify(source)} may not publish on itsm.incident.events.v1: only /itsm/incident does`,
      ),
    );
  });

  it('refuses every event on a topic no service owns', () => {
    expect(() => assertFromTopicOwner('itsm.test.events.v1', '/itsm/test')).toThrow(
      UntrustedEventSourceError,
    );
  });
});
