import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString, stringList } from '../nullable';

export const CI_STATUSES = ['planned', 'operational', 'maintenance', 'retired'] as const;
export type CiStatus = (typeof CI_STATUSES)[number];

export const RELATIONSHIP_TYPES = [
  'depends_on',
  'runs_on',
  'hosted_on',
  'connected_to',
  'member_of',
  'provides',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** The values that identify a CI across discovery sources. */
export interface CiIdentifiers {
  serialNumber?: string;
  hostname?: string;
  fqdn?: string;
  ipAddresses?: string[];
  cloudId?: string;
}

/** A configuration item as the API answers it and as the cmdb events carry it. */
export interface CiSnapshot {
  id: string;
  class: string;
  name: string;
  status: CiStatus;
  environment: string | null;
  ownerGroup: string | null;
  /**
   * Seen only by its owner group and by those who see every record (docs/cmdb.md); absent
   * in events from before it existed, which means false.
   */
  restricted: boolean;
  /** 1 (most critical) .. 4; set for business services. */
  criticality: number | null;
  identifiers: CiIdentifiers;
  attributes: Record<string, unknown>;
  /** The sources (`manual`, discovery tools) that have set any of its values. */
  sources: string[];
  lastDiscoveredAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface RelationshipSnapshot {
  id: string;
  type: RelationshipType;
  sourceId: string;
  targetId: string;
  createdAt: string;
  /** The user who created it, through the API or an import (the event's `source` names the import's source). */
  createdBy: string;
  deletedAt: string | null;
  deletedBy: string | null;
}

export interface CiClassSnapshot {
  name: string;
  label: string;
  parent: string | null;
  description: string;
  abstract: boolean;
  /** The attributes the class itself declares (JSON Schema per attribute); inherited ones are not repeated. */
  attributes: Record<string, unknown>;
  required: string[];
  identificationRules: string[] | null;
  /** Field → discovery sources, highest first, for this class and its subclasses (absent in events before it existed). */
  sourcePrecedence?: Record<string, string[]>;
  version: number;
}

/** What changed a CI: a user through the API, or a discovery source through an import. */
export interface CmdbChangeOrigin {
  actor: string;
  /** The discovery source of an import; null for a change made through the API. */
  source: string | null;
}

/** The data of every `itsm.ci.*.v1` event. */
export interface CiEventV1 extends CmdbChangeOrigin {
  ci: CiSnapshot;
  /** The fields this change set or altered; `attributes.<name>` and `identifiers.<name>` for nested ones. */
  changedFields: string[];
  /** The value each changed field had before the change (empty on `created`). */
  previous: Record<string, unknown>;
}

/** The data of every `itsm.relationship.*.v1` event. */
export interface RelationshipEventV1 extends CmdbChangeOrigin {
  relationship: RelationshipSnapshot;
}

/** The data of every `itsm.ci_class.*.v1` event. */
export interface CiClassEventV1 {
  ciClass: CiClassSnapshot;
  changedFields: string[];
  actor: string;
}

export const CmdbEventTypes = {
  ciCreated: 'itsm.ci.created.v1',
  ciUpdated: 'itsm.ci.updated.v1',
  ciRetired: 'itsm.ci.retired.v1',
  relationshipCreated: 'itsm.relationship.created.v1',
  relationshipDeleted: 'itsm.relationship.deleted.v1',
  ciClassCreated: 'itsm.ci_class.created.v1',
  ciClassUpdated: 'itsm.ci_class.updated.v1',
} as const;

const identifiersSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    serialNumber: { type: 'string' },
    hostname: { type: 'string' },
    fqdn: { type: 'string' },
    ipAddresses: stringList,
    cloudId: { type: 'string' },
  },
} as const;

export const ciSnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  required: [
    'id',
    'class',
    'name',
    'status',
    'environment',
    'ownerGroup',
    'criticality',
    'identifiers',
    'attributes',
    'sources',
    'lastDiscoveredAt',
    'createdAt',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    class: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    status: { enum: CI_STATUSES },
    environment: nullableString,
    ownerGroup: nullableString,
    restricted: { type: 'boolean' },
    criticality: { type: ['integer', 'null'], minimum: 1, maximum: 4 },
    identifiers: identifiersSchema,
    attributes: { type: 'object' },
    sources: stringList,
    lastDiscoveredAt: nullableDateTime,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer', minimum: 1 },
  },
} as const;

const relationshipSnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  required: [
    'id',
    'type',
    'sourceId',
    'targetId',
    'createdAt',
    'createdBy',
    'deletedAt',
    'deletedBy',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    type: { enum: RELATIONSHIP_TYPES },
    sourceId: { type: 'string', format: 'uuid' },
    targetId: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    createdBy: { type: 'string' },
    deletedAt: nullableDateTime,
    deletedBy: nullableString,
  },
} as const;

const ciClassSnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  required: [
    'name',
    'label',
    'parent',
    'description',
    'abstract',
    'attributes',
    'required',
    'identificationRules',
    'version',
  ],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
    label: { type: 'string' },
    parent: nullableString,
    description: { type: 'string' },
    abstract: { type: 'boolean' },
    attributes: { type: 'object' },
    required: stringList,
    identificationRules: { type: ['array', 'null'], items: { type: 'string' } },
    sourcePrecedence: {
      type: 'object',
      additionalProperties: stringList,
      description:
        'Field (`name`, `attributes.memoryMb`, …) → discovery sources, highest first; fields not named follow the ancestors, then the global order.',
    },
    version: { type: 'integer', minimum: 1 },
  },
} as const;

const origin = {
  actor: { type: 'string', minLength: 1 },
  source: nullableString,
} as const;

const SUMMARIES: Record<keyof typeof CmdbEventTypes, string> = {
  ciCreated: 'A configuration item was recorded (through the API or a discovery import).',
  ciUpdated:
    'A configuration item had values changed; `changedFields` and `previous` say which and from what.',
  ciRetired:
    'A configuration item moved to status `retired`; its history and relationships stay readable.',
  relationshipCreated: 'A typed, directed relationship between two CIs was recorded.',
  relationshipDeleted: 'A relationship was removed; it stays in the history of both CIs.',
  ciClassCreated: 'A CI class was added to the class hierarchy.',
  ciClassUpdated:
    'A CI class changed: attributes added, or its description, identification rules or source precedence changed.',
};

function ciEventSchema(type: string, title: string) {
  return {
    $id: type,
    title,
    type: 'object',
    additionalProperties: false,
    required: ['ci', 'changedFields', 'previous', 'actor', 'source'],
    properties: {
      ci: ciSnapshotSchema,
      changedFields: stringList,
      previous: { type: 'object' },
      ...origin,
    },
  };
}

function relationshipEventSchema(type: string, title: string) {
  return {
    $id: type,
    title,
    type: 'object',
    additionalProperties: false,
    required: ['relationship', 'actor', 'source'],
    properties: { relationship: relationshipSnapshotSchema, ...origin },
  };
}

function ciClassEventSchema(type: string, title: string) {
  return {
    $id: type,
    title,
    type: 'object',
    additionalProperties: false,
    required: ['ciClass', 'changedFields', 'actor'],
    properties: {
      ciClass: ciClassSnapshotSchema,
      changedFields: stringList,
      actor: origin.actor,
    },
  };
}

const SCHEMA_OF: Record<
  keyof typeof CmdbEventTypes,
  (type: string, title: string) => Record<string, unknown>
> = {
  ciCreated: ciEventSchema,
  ciUpdated: ciEventSchema,
  ciRetired: ciEventSchema,
  relationshipCreated: relationshipEventSchema,
  relationshipDeleted: relationshipEventSchema,
  ciClassCreated: ciClassEventSchema,
  ciClassUpdated: ciClassEventSchema,
};

/** The cmdb service's events (CIs, relationships, classes), keyed by the record's id (a class by its name). */
export const CMDB_EVENTS: readonly EventDefinition[] = (
  Object.keys(CmdbEventTypes) as (keyof typeof CmdbEventTypes)[]
).map((happening) => ({
  type: CmdbEventTypes[happening],
  topic: Topics.cmdbEvents,
  summary: SUMMARIES[happening],
  schema: SCHEMA_OF[happening](CmdbEventTypes[happening], SUMMARIES[happening]),
}));
