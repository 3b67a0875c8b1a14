import { type CiEventV1 } from '@itsm/contracts';
import { columns, greatest, least } from './fact-table';
import { instant, type EventReader, type ProjectionDefinition } from './projection';

const BUSINESS_SERVICE_CLASS = 'business_service';

/** `itsm.ci.created|updated|retired.v1`: the CI as it is after the change. */
export const readCiV1: EventReader = (event) => {
  const ci = (event.data as Partial<CiEventV1>).ci;
  if (!ci) return null;
  return {
    ci_id: ci.id,
    name: ci.name,
    class: ci.class,
    status: ci.status,
    environment: ci.environment,
    owner_group: ci.ownerGroup,
    // Events from before CIs could be restricted carry no flag: they were open.
    restricted: ci.restricted ?? false,
    business_service: ci.class === BUSINESS_SERVICE_CLASS,
    criticality: ci.criticality,
    created_at: instant(ci.createdAt),
    updated_at: instant(ci.updatedAt),
    retired_at: ci.status === 'retired' ? instant(ci.updatedAt) : null,
    last_verified_at: instant(ci.lastDiscoveredAt),
    version: ci.version,
    last_event_at: instant(event.time),
  };
};

export const CMDB: ProjectionDefinition = {
  name: 'cmdb',
  version: 1,
  lockId: 6,
  shape: {
    table: 'ci_facts',
    key: 'ci_id',
    precedence: ['version'],
    columns: columns({
      ci_id: 'uuid',
      name: 'text',
      class: 'text',
      status: 'text',
      environment: 'text',
      owner_group: 'text',
      restricted: 'bool',
      business_service: 'bool',
      criticality: 'int',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
      retired_at: ['timestamptz', least],
      last_verified_at: 'timestamptz',
      version: 'int',
      last_event_at: ['timestamptz', greatest],
    }),
  },
  readers: { ci: { 1: readCiV1 } },
};
