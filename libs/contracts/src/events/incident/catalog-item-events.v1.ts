import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableString, stringList } from '../nullable';

/** A catalogue item's key: a lower-case slug, what a service request's `catalogItem` holds. */
export const CATALOG_ITEM_KEY_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';

/** An item of the service catalogue, as its events carry it and the API answers it (docs/incidents.md). */
export interface CatalogItemSnapshot {
  key: string;
  name: string;
  /** What the requester gets. */
  description: string;
  /** What the portal groups items by. */
  category: string;
  /** The assignment group a request for the item goes to when it names none. */
  fulfilmentGroup: string | null;
  /** Offered to requesters; a retired item (false) takes no new request. */
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

const CATALOG_ITEM_HAPPENINGS = {
  created: 'was added to the service catalogue',
  updated:
    'had fields changed (name, description, category, fulfilment group, active: `false` retires it)',
} as const;

export type CatalogItemHappening = keyof typeof CATALOG_ITEM_HAPPENINGS;

export const CatalogItemEventTypes = {
  created: 'itsm.catalog_item.created.v1',
  updated: 'itsm.catalog_item.updated.v1',
} as const satisfies Record<CatalogItemHappening, `itsm.catalog_item.${CatalogItemHappening}.v1`>;

/** The data of every `itsm.catalog_item.<happening>.v1` event; keyed by the item's key. */
export interface CatalogItemEventV1 {
  item: CatalogItemSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const catalogItemSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'key',
    'name',
    'description',
    'category',
    'fulfilmentGroup',
    'active',
    'createdBy',
    'createdAt',
    'updatedBy',
    'updatedAt',
    'version',
  ],
  properties: {
    key: { type: 'string', pattern: CATALOG_ITEM_KEY_PATTERN, maxLength: 100 },
    name: nonEmptyString,
    description: { type: 'string' },
    category: nonEmptyString,
    fulfilmentGroup: nullableString,
    active: { type: 'boolean' },
    createdBy: nonEmptyString,
    createdAt: dateTime,
    updatedBy: nonEmptyString,
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

export const CATALOG_ITEM_EVENTS: readonly EventDefinition[] = Object.entries(
  CATALOG_ITEM_HAPPENINGS,
).map(([happening, what]) => {
  const type = CatalogItemEventTypes[happening as CatalogItemHappening];
  const summary = `A service catalogue item ${what}.`;
  return {
    type,
    topic: Topics.incidentEvents,
    summary,
    schema: {
      $id: type,
      title: summary,
      type: 'object',
      additionalProperties: false,
      required: ['item', 'changedFields', 'previous'],
      properties: {
        item: catalogItemSnapshotSchema,
        changedFields: stringList,
        previous: { type: 'object' },
      },
    },
  };
});
