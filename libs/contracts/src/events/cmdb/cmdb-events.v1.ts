import { type EventDefinition } from '../../event-definition';

/** The cmdb service's events (CIs, relationships, classes); defined with the CMDB itself. */
export const CmdbEventTypes = {} as const;

export const CMDB_EVENTS: readonly EventDefinition[] = [];
