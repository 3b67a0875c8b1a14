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
/** Under services/ but no service: the web console runs in the browser and publishes nothing. */
const NOT_SERVICES = new Set(['console']);

/**
 * `service topic` for each topic in the `publishes` of each service's definition, by the
 * definition's `name`: the outbox writes it as the events' source.
 */
function topicsTheServicesPublish(): string[] {
  return readdirSync(SERVICES_DIR)
    .filter((directory) => !NOT_SERVICES.has(directory))
    .flatMap((directory) => {
      const definition = readFileSync(
        join(SERVICES_DIR, directory, 'src', 'service.definition.ts'),
        'utf8',
      );
      const service = /name:\s*'([^']+)'/.exec(definition)?.[1];
      const publishes = /publishes:\s*\[([^\]]*)\]/.exec(definition)?.[1];
      if (service === undefined || publishes === undefined)
        throw new Error(`${directory}: no name or publishes in its definition`);
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
