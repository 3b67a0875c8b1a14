import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString, stringList } from '../nullable';
import { CHANGE_RISKS, type ChangeRisk } from './change-events.v1';
import { CHANGE_TASK_TYPES, type ChangeTaskType } from './change-task-events.v1';

/**
 * Where a version of a standard change template stands: proposed (a draft, the only one
 * edited), approved (by someone other than its authors), published (standard changes are
 * opened from it; one at a time), retired (withdrawn, retired, or superseded by a newer one).
 */
export const CHANGE_TEMPLATE_STATES = ['proposed', 'approved', 'published', 'retired'] as const;
export type ChangeTemplateState = (typeof CHANGE_TEMPLATE_STATES)[number];

/**
 * The risks a template may pre-assess: a standard change is low-risk, proven work that
 * needs no approval of its own; anything riskier goes through the normal model.
 */
export const CHANGE_TEMPLATE_RISKS = ['low', 'moderate'] as const satisfies readonly ChangeRisk[];
export type ChangeTemplateRisk = (typeof CHANGE_TEMPLATE_RISKS)[number];

/** A task every change opened from the version gets. */
export interface ChangeTemplateTask {
  type: ChangeTaskType;
  title: string;
  description: string;
}

/** One version of a template, as events carry it and the API answers it. */
export interface ChangeTemplateVersionSnapshot {
  templateId: string;
  version: number;
  state: ChangeTemplateState;
  /** What the template is called and what it is for. */
  name: string;
  description: string;
  /** The fields of the changes opened from it, which they cannot change. */
  changeTitle: string;
  changeDescription: string;
  category: string | null;
  implementationPlan: string | null;
  backoutPlan: string | null;
  testPlan: string | null;
  impact: number;
  risk: ChangeTemplateRisk;
  /** The assignment group a change opened from it gets unless it names one. */
  assignmentGroup: string | null;
  tasks: ChangeTemplateTask[];
  /** Who proposed or edited the version: none of them may approve it (four eyes). */
  authors: string[];
  proposedBy: string;
  proposedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  retiredBy: string | null;
  retiredAt: string | null;
  /** The version whose publication retired this one. */
  supersededBy: number | null;
  /** Why the version last moved (sent back, withdrawn, retired, superseded), when a reason was given. */
  stateReason: string | null;
  updatedAt: string;
}

/** A template as a whole: its name and state are those of its published version, else its latest. */
export interface ChangeTemplateSnapshot {
  id: string;
  name: string;
  description: string;
  /** `published` while a version is; otherwise the state of its draft, or `retired`. */
  state: ChangeTemplateState;
  publishedVersion: number | null;
  /** The version still to be published (proposed or approved), if any. */
  draftVersion: number | null;
  latestVersion: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Counts every change of the template or any of its versions; its ETag. */
  revision: number;
}

const CHANGE_TEMPLATE_HAPPENINGS = {
  created: 'was proposed: a new template with its version 1',
  updated: 'had fields of its draft (proposed) version changed',
  version_started: 'got a new draft version, copied from its latest',
  state_changed: 'had a version move to another state (`previous.state` → `version.state`)',
  published:
    'had a version published: standard changes are opened from it now (the one published before is retired as superseded first)',
  retired:
    'had a version retired: a draft withdrawn, a published version retired, or superseded by a newer one (`version.supersededBy`)',
} as const;

export type ChangeTemplateHappening = keyof typeof CHANGE_TEMPLATE_HAPPENINGS;

export const ChangeTemplateEventTypes = {
  created: 'itsm.change_template.created.v1',
  updated: 'itsm.change_template.updated.v1',
  versionStarted: 'itsm.change_template.version_started.v1',
  stateChanged: 'itsm.change_template.state_changed.v1',
  published: 'itsm.change_template.published.v1',
  retired: 'itsm.change_template.retired.v1',
} as const satisfies Record<string, `itsm.change_template.${ChangeTemplateHappening}.v1`>;

/** The data of every `itsm.change_template.<happening>.v1` event; keyed by the template's id. */
export interface ChangeTemplateEventV1 {
  template: ChangeTemplateSnapshot;
  /** The version that changed. */
  version: ChangeTemplateVersionSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const versionNumber = { type: 'integer', minimum: 1 } as const;
const nullableVersionNumber = { type: ['integer', 'null'], minimum: 1 } as const;

export const changeTemplateTaskSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'title', 'description'],
  properties: {
    type: { enum: CHANGE_TASK_TYPES },
    title: nonEmptyString,
    description: { type: 'string' },
  },
} as const;

export const changeTemplateVersionSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'templateId',
    'version',
    'state',
    'name',
    'description',
    'changeTitle',
    'changeDescription',
    'category',
    'implementationPlan',
    'backoutPlan',
    'testPlan',
    'impact',
    'risk',
    'assignmentGroup',
    'tasks',
    'authors',
    'proposedBy',
    'proposedAt',
    'approvedBy',
    'approvedAt',
    'publishedBy',
    'publishedAt',
    'retiredBy',
    'retiredAt',
    'supersededBy',
    'stateReason',
    'updatedAt',
  ],
  properties: {
    templateId: { type: 'string', format: 'uuid' },
    version: versionNumber,
    state: { enum: CHANGE_TEMPLATE_STATES },
    name: nonEmptyString,
    description: { type: 'string' },
    changeTitle: nonEmptyString,
    changeDescription: { type: 'string' },
    category: nullableString,
    implementationPlan: nullableString,
    backoutPlan: nullableString,
    testPlan: nullableString,
    impact: { type: 'integer', minimum: 1, maximum: 3 },
    // The contract takes every change risk, so that widening the policy is no new version.
    risk: { enum: CHANGE_RISKS },
    assignmentGroup: nullableString,
    tasks: { type: 'array', items: changeTemplateTaskSchema },
    authors: stringList,
    proposedBy: nonEmptyString,
    proposedAt: dateTime,
    approvedBy: nullableString,
    approvedAt: nullableDateTime,
    publishedBy: nullableString,
    publishedAt: nullableDateTime,
    retiredBy: nullableString,
    retiredAt: nullableDateTime,
    supersededBy: nullableVersionNumber,
    stateReason: nullableString,
    updatedAt: dateTime,
  },
} as const;

export const changeTemplateSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'description',
    'state',
    'publishedVersion',
    'draftVersion',
    'latestVersion',
    'createdBy',
    'createdAt',
    'updatedAt',
    'revision',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: nonEmptyString,
    description: { type: 'string' },
    state: { enum: CHANGE_TEMPLATE_STATES },
    publishedVersion: nullableVersionNumber,
    draftVersion: nullableVersionNumber,
    latestVersion: versionNumber,
    createdBy: nonEmptyString,
    createdAt: dateTime,
    updatedAt: dateTime,
    revision: versionNumber,
  },
} as const;

export const CHANGE_TEMPLATE_EVENTS: readonly EventDefinition[] = Object.entries(
  CHANGE_TEMPLATE_HAPPENINGS,
).map(([happening, what]) => {
  const type = `itsm.change_template.${happening}.v1`;
  const summary = `A standard change template ${what}.`;
  return {
    type,
    topic: Topics.changeEvents,
    summary,
    schema: {
      $id: type,
      title: summary,
      type: 'object',
      additionalProperties: false,
      required: ['template', 'version', 'changedFields', 'previous'],
      properties: {
        template: changeTemplateSnapshotSchema,
        version: changeTemplateVersionSnapshotSchema,
        changedFields: stringList,
        previous: { type: 'object' },
      },
    },
  };
});
