import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { deadLetterTopic } from '@itsm/contracts';
import { baseServiceEnvironment, type ServiceDefinition } from '@itsm/platform';
import { changeService } from '../../../services/change/src/service.definition';
import { cmdbService } from '../../../services/cmdb/src/service.definition';
import { gatewayService } from '../../../services/gateway/src/service.definition';
import { incidentService } from '../../../services/incident/src/service.definition';
import { problemService } from '../../../services/problem/src/service.definition';
import { reportingService } from '../../../services/reporting/src/service.definition';
import { slmService } from '../../../services/slm/src/service.definition';
import { CHART, REPO_ROOT, SERVICES, named, ofKind, render } from './chart';

const DEFINITIONS: ServiceDefinition[] = [
  gatewayService,
  incidentService,
  problemService,
  changeService,
  slmService,
  cmdbService,
  reportingService,
];

interface TopicsFile {
  deadLetterPartitions: number;
  publishes: Record<string, string[]>;
}
const topicsFile = parse(readFileSync(join(CHART, 'files', 'topics.yaml'), 'utf8')) as TopicsFile;
const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as {
  kafka: { consumerGroupPrefix: string; topics: { partitions: number } };
};

/**
 * The chart declares the topics the migrate steps would create, for Strimzi to create
 * instead: the same names and partitions, or the services would publish and consume on
 * topics nobody made.
 */
describe('the chart’s topic list', () => {
  it('names, per service, the topics its definition publishes on', () => {
    expect(topicsFile.publishes).toEqual(
      Object.fromEntries(
        DEFINITIONS.map((definition) => [definition.name, [...definition.publishes]]),
      ),
    );
    expect(DEFINITIONS.map((definition) => definition.name)).toEqual(SERVICES);
  });

  it('gives them the services’ default partitions and consumer group prefix', () => {
    const defaults = baseServiceEnvironment
      .pick({ KAFKA_TOPIC_PARTITIONS: true, KAFKA_CONSUMER_GROUP_PREFIX: true })
      .parse({});
    expect([values.kafka.topics.partitions, values.kafka.consumerGroupPrefix]).toEqual([
      defaults.KAFKA_TOPIC_PARTITIONS,
      defaults.KAFKA_CONSUMER_GROUP_PREFIX,
    ]);
  });

  it('gives dead-letter topics the partitions the migrate step does', () => {
    const migrate = readFileSync(join(REPO_ROOT, 'libs/platform/src/bootstrap/migrate.ts'), 'utf8');
    const partitions = /topic: deadLetterTopic\([^)]*\)\), numPartitions: (\d+)/.exec(migrate)?.[1];
    expect(Number(partitions)).toBe(topicsFile.deadLetterPartitions);
  });
});

describe('the Strimzi KafkaTopics', () => {
  const objects = render({
    valuesFiles: [join(CHART, 'examples', 'strimzi-cloudnativepg.yaml')],
    set: { 'kafka.consumerGroupPrefix': 'acme', 'kafka.topics.partitions': 12 },
  });
  const topics = ofKind(objects, 'KafkaTopic');

  it('are every service’s topics and dead-letter topic, as its migrate step would make them', () => {
    const expected = DEFINITIONS.flatMap((definition) => [
      ...definition.publishes.map((topic) => [topic, 12]),
      [deadLetterTopic(`acme.${definition.name}`), 1],
    ]);
    expect(
      topics.map((topic) => [topic.spec.topicName as string, topic.spec.partitions as number]),
    ).toEqual(expected);
  });

  it('belong to the Strimzi cluster named, in its namespace, and survive an uninstall', () => {
    for (const topic of topics) {
      expect(topic.apiVersion).toBe('kafka.strimzi.io/v1');
      expect(topic.metadata).toMatchObject({
        namespace: 'kafka',
        labels: { 'strimzi.io/cluster': 'itsm-kafka' },
        annotations: { 'helm.sh/resource-policy': 'keep' },
      });
      expect(topic.spec).toMatchObject({ replicas: 3, config: { 'min.insync.replicas': 2 } });
      expect(topic.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
    expect(named(objects, 'KafkaTopic', 'itsm.incident.events.v1').spec.topicName).toBe(
      'itsm.incident.events.v1',
    );
  });

  it('use the v1beta2 API where the cluster’s Strimzi (before 0.49) serves no v1', () => {
    const older = render({
      valuesFiles: [join(CHART, 'examples', 'strimzi-cloudnativepg.yaml')],
      apiVersions: ['kafka.strimzi.io/v1beta2/KafkaTopic'],
    });
    expect(new Set(ofKind(older, 'KafkaTopic').map((topic) => topic.apiVersion))).toEqual(
      new Set(['kafka.strimzi.io/v1beta2']),
    );
  });

  it('are not made unless asked for', () => {
    expect(
      ofKind(render({ valuesFiles: [join(CHART, 'ci', 'defaults-values.yaml')] }), 'KafkaTopic'),
    ).toEqual([]);
  });
});
