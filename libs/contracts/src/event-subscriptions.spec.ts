import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_SUBSCRIPTIONS } from './event-subscriptions';
import { ALL_DOMAIN_TOPICS, Topics } from './topics';

const SERVICES_DIR = join(__dirname, '..', '..', '..', 'services');

/** `service topic` for each `@EventPattern` (or `@EventBatchPattern`) of each consumer in the services' sources. */
function topicsTheConsumersListenTo(): string[] {
  const found: string[] = [];
  for (const service of readdirSync(SERVICES_DIR)) {
    const sources = join(SERVICES_DIR, service, 'src');
    const files = readdirSync(sources, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.consumer.ts'),
    );
    for (const file of files)
      for (const [, argument] of readFileSync(join(sources, file), 'utf8').matchAll(
        /@Event(?:Batch)?Pattern\(([^)]*)\)/g,
      )) {
        const topics = /ALL_DOMAIN_TOPICS/.test(argument ?? '')
          ? ALL_DOMAIN_TOPICS
          : [...(argument ?? '').matchAll(/Topics\.(\w+)/g)].map(
              ([, name]) => Topics[name as keyof typeof Topics],
            );
        if (topics.length === 0) throw new Error(`${file}: cannot read the pattern (${argument})`);
        found.push(...topics.map((topic) => `${service} ${topic}`));
      }
  }
  return found.sort();
}

describe('the declaration of what each service consumes', () => {
  // The AsyncAPI document is generated from the declaration; this keeps it true to the code.
  it('names exactly the topics the consumers in services/*/src listen to', () => {
    expect(
      EVENT_SUBSCRIPTIONS.map(
        (subscription) => `${subscription.service} ${subscription.topic}`,
      ).sort(),
    ).toEqual(topicsTheConsumersListenTo());
  });
});
