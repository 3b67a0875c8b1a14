import { CHANGES } from './changes.projection';
import { CMDB } from './cmdb.projection';
import { KNOWN_ERRORS, PROBLEMS } from './problems.projection';
import { parseEventType, type ProjectionDefinition } from './projection';
import { SERVICE_RECORDS } from './service-records.projection';
import { SLA_TIMERS } from './sla-timers.projection';

/** Every read model the reporting service keeps. */
export const PROJECTIONS: readonly ProjectionDefinition[] = [
  SERVICE_RECORDS,
  PROBLEMS,
  KNOWN_ERRORS,
  CHANGES,
  SLA_TIMERS,
  CMDB,
];

export function projectionNamed(name: string): ProjectionDefinition | undefined {
  return PROJECTIONS.find((projection) => projection.name === name);
}

/** The projection that reads an event's family (whatever its schema version), if any. */
export function projectionOf(type: string): ProjectionDefinition | undefined {
  const family = parseEventType(type)?.family;
  if (family === undefined) return undefined;
  return PROJECTIONS.find((projection) => Object.hasOwn(projection.readers, family));
}
