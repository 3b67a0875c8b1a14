/**
 * Fails when a service's entities and its migrations disagree: run against a database that
 * the migrate step has just brought up to date, TypeORM must find nothing left to change.
 * The test suite's global set-up runs it on every `npm test`.
 */
import { join } from 'node:path';
import { type ServiceDefinition } from '@itsm/platform';
import { createServiceDataSource, findSchemaDrift } from '@itsm/persistence';

const SERVICES = ['gateway', 'incident', 'problem', 'change', 'slm', 'cmdb', 'reporting'];

async function definitionOf(service: string): Promise<ServiceDefinition> {
  // Loaded by path: the tool inspects every service without the services depending on it.
  const exports = (await import(
    join(__dirname, '..', 'services', service, 'src', 'service.definition.js')
  )) as Record<string, ServiceDefinition>;
  const definition = Object.values(exports)[0];
  if (!definition) throw new Error(`services/${service} exports no service definition`);
  return definition;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  let drifted = false;
  for (const service of SERVICES) {
    const definition = await definitionOf(service);
    const dataSource = createServiceDataSource({
      databaseUrl,
      schema: definition.schema,
      applicationName: `itsm-${service}-drift-check`,
      entities: definition.entities,
      migrations: definition.migrations,
    });
    const statements = await findSchemaDrift(dataSource);
    if (statements.length > 0) {
      drifted = true;
      console.error(
        `services/${service}: entities and migrations disagree; a migration is missing for:\n  ${statements.join('\n  ')}`,
      );
    }
  }
  if (drifted) process.exit(1);
  console.log(`entities and migrations agree for ${SERVICES.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
