import { type CiSnapshot } from '@itsm/contracts';
import { type Ci } from '../domain/ci';

/** The CI as the API answers it and as its events carry it (provenance stays inside). */
export function toCiSnapshot(ci: Ci): CiSnapshot {
  return {
    id: ci.id,
    class: ci.class,
    name: ci.name,
    status: ci.status,
    environment: ci.environment,
    ownerGroup: ci.ownerGroup,
    restricted: ci.restricted,
    criticality: ci.criticality,
    identifiers: ci.identifiers,
    attributes: ci.attributes,
    sources: ci.sources,
    lastDiscoveredAt: ci.lastDiscoveredAt?.toISOString() ?? null,
    createdAt: ci.createdAt.toISOString(),
    updatedAt: ci.updatedAt.toISOString(),
    version: ci.version,
  };
}
