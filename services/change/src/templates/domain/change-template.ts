import {
  CHANGE_TEMPLATE_RISKS,
  type ChangeTemplateRisk,
  type ChangeTemplateState,
  type ChangeTemplateTask,
} from '@itsm/contracts';
import {
  RecordConflict,
  RuleViolation,
  StepForbidden,
  TransitionRefused,
  diffRecords,
  fieldsWithValues,
  type FieldChange,
} from '@itsm/domain';
import { type ChangeImpact } from '../../changes/domain/change';

/** What a version says: about the template, and the fields of the changes opened from it. */
export interface TemplateContent {
  name: string;
  description: string;
  changeTitle: string;
  changeDescription: string;
  category: string | null;
  implementationPlan: string | null;
  backoutPlan: string | null;
  testPlan: string | null;
  impact: ChangeImpact;
  risk: ChangeTemplateRisk;
  assignmentGroup: string | null;
  tasks: ChangeTemplateTask[];
}

/** One version of a standard change template; only a proposed one is edited. */
export interface TemplateVersion extends TemplateContent {
  templateId: string;
  version: number;
  state: ChangeTemplateState;
  authors: string[];
  proposedBy: string;
  proposedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
  publishedBy: string | null;
  publishedAt: Date | null;
  retiredBy: string | null;
  retiredAt: Date | null;
  supersededBy: number | null;
  stateReason: string | null;
  updatedAt: Date;
}

/** The template as a whole, summarising its versions (see {@link summarised}). */
export interface ChangeTemplate {
  id: string;
  name: string;
  description: string;
  state: ChangeTemplateState;
  publishedVersion: number | null;
  draftVersion: number | null;
  latestVersion: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  revision: number;
}

/** A template with every one of its versions, oldest first: what each use case works on. */
export interface TemplateAggregate {
  template: ChangeTemplate;
  versions: TemplateVersion[];
}

/** An aggregate after a use case, and the versions it changed, in the order their events go out. */
export interface TemplateStep {
  aggregate: TemplateAggregate;
  changed: number[];
}

export type NewTemplate = Pick<TemplateContent, 'name' | 'changeTitle'> & Partial<TemplateContent>;

/** A `PATCH` of the draft: absent fields keep their value, `null` clears an optional one; `tasks` replaces the list. */
export type TemplateContentChanges = Partial<TemplateContent>;

/** Who takes a step, and what the permission table lets them do (`change:approve`, `change:write`). */
export interface TemplateActor {
  username: string;
  mayApprove: boolean;
  mayWrite: boolean;
}

export interface TemplateTransitionRequest {
  to: string;
  reason?: string;
  /** The version to move; by default the draft, or the published version when there is no draft. */
  version?: number;
}

export const MAX_TEMPLATE_TASKS = 50;

const DRAFT_STATES: readonly ChangeTemplateState[] = ['proposed', 'approved'];

/**
 * proposed -> approved (four eyes) -> published, approved -> proposed (sent back),
 * proposed -> retired (withdrawn), published -> retired. Publishing retires the version
 * published before it (superseded). Which permission each step needs.
 */
const MACHINE: Record<
  ChangeTemplateState,
  Partial<Record<ChangeTemplateState, 'approve' | 'write'>>
> = {
  proposed: { approved: 'approve', retired: 'write' },
  approved: { published: 'write', proposed: 'write' },
  published: { retired: 'write' },
  retired: {},
};

export function allowedTemplateTargets(state: ChangeTemplateState): ChangeTemplateState[] {
  return Object.keys(MACHINE[state]) as ChangeTemplateState[];
}

export function publishedOf(aggregate: TemplateAggregate): TemplateVersion | undefined {
  return aggregate.versions.find((version) => version.state === 'published');
}

/** The version still on its way to publication (proposed or approved); at most one. */
export function draftOf(aggregate: TemplateAggregate): TemplateVersion | undefined {
  return aggregate.versions.find((version) => DRAFT_STATES.includes(version.state));
}

export function latestOf(aggregate: TemplateAggregate): TemplateVersion {
  const latest = aggregate.versions.at(-1);
  if (!latest) throw new Error(`template ${aggregate.template.id} has no version`);
  return latest;
}

/** The fields given a value: a body's absent fields arrive as properties holding `undefined`. */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function text(value: string | null | undefined): string | null {
  return value?.trim() || null;
}

function checkContent(content: TemplateContent): void {
  if (!content.name.trim()) throw new RuleViolation('name', 'is required');
  if (!content.changeTitle.trim()) throw new RuleViolation('changeTitle', 'is required');
  if (!(CHANGE_TEMPLATE_RISKS as readonly string[]).includes(content.risk)) {
    throw new RuleViolation(
      'risk',
      `must be ${CHANGE_TEMPLATE_RISKS.join(' or ')}: riskier work is a normal change`,
    );
  }
  if (content.tasks.length > MAX_TEMPLATE_TASKS) {
    throw new RuleViolation('tasks', `holds at most ${MAX_TEMPLATE_TASKS} tasks`);
  }
  content.tasks.forEach((task, index) => {
    if (!task.title.trim()) throw new RuleViolation(`tasks[${index}].title`, 'is required');
  });
}

function cleaned(content: TemplateContent): TemplateContent {
  return {
    ...content,
    name: content.name.trim(),
    changeTitle: content.changeTitle.trim(),
    category: text(content.category),
    implementationPlan: text(content.implementationPlan),
    backoutPlan: text(content.backoutPlan),
    testPlan: text(content.testPlan),
    assignmentGroup: text(content.assignmentGroup),
    tasks: content.tasks.map((task) => ({
      type: task.type,
      title: task.title.trim(),
      description: task.description,
    })),
  };
}

/**
 * The template's own fields follow its versions: it is `published` while a version is,
 * else in its draft's state, else `retired`; its name and description are those of the
 * published version, else of the latest.
 */
export function summarised(template: ChangeTemplate, versions: TemplateVersion[]): ChangeTemplate {
  const aggregate = { template, versions };
  const published = publishedOf(aggregate);
  const draft = draftOf(aggregate);
  const shown = published ?? latestOf(aggregate);
  return {
    ...template,
    name: shown.name,
    description: shown.description,
    state: published ? 'published' : (draft?.state ?? 'retired'),
    publishedVersion: published?.version ?? null,
    draftVersion: draft?.version ?? null,
    latestVersion: latestOf(aggregate).version,
  };
}

function proposedVersion(
  templateId: string,
  version: number,
  content: TemplateContent,
  actor: string,
  now: Date,
): TemplateVersion {
  return {
    templateId,
    version,
    state: 'proposed',
    ...content,
    authors: [actor],
    proposedBy: actor,
    proposedAt: now,
    approvedBy: null,
    approvedAt: null,
    publishedBy: null,
    publishedAt: null,
    retiredBy: null,
    retiredAt: null,
    supersededBy: null,
    stateReason: null,
    updatedAt: now,
  };
}

/** A new template: its version 1, proposed by `actor`. */
export function proposeTemplate(
  input: NewTemplate,
  id: string,
  actor: string,
  now: Date,
): TemplateAggregate {
  const content = cleaned({
    description: '',
    changeDescription: '',
    category: null,
    implementationPlan: null,
    backoutPlan: null,
    testPlan: null,
    impact: 3,
    risk: 'low',
    assignmentGroup: null,
    tasks: [],
    ...definedOnly(input),
    name: input.name,
    changeTitle: input.changeTitle,
  });
  checkContent(content);
  const version = proposedVersion(id, 1, content, actor, now);
  const template: ChangeTemplate = {
    id,
    name: content.name,
    description: content.description,
    state: 'proposed',
    publishedVersion: null,
    draftVersion: 1,
    latestVersion: 1,
    createdBy: actor,
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
  return { template: summarised(template, [version]), versions: [version] };
}

function replaced(aggregate: TemplateAggregate, changed: TemplateVersion[]): TemplateAggregate {
  const byNumber = new Map(changed.map((version) => [version.version, version]));
  const versions = aggregate.versions.map((version) => byNumber.get(version.version) ?? version);
  return { template: summarised(aggregate.template, versions), versions };
}

/** Edits the draft: only a proposed version changes; an approved one is sent back first. */
export function editDraft(
  aggregate: TemplateAggregate,
  changes: TemplateContentChanges,
  actor: string,
  now: Date,
): TemplateStep {
  const draft = draftOf(aggregate);
  if (!draft) {
    throw new RecordConflict(
      `template "${aggregate.template.name}" has no draft: start a new version to change it (published and retired versions do not change)`,
    );
  }
  if (draft.state !== 'proposed') {
    throw new RecordConflict(
      `version ${draft.version} of template "${draft.name}" is ${draft.state}: send it back to proposed to change it`,
    );
  }
  const content = cleaned({ ...contentOf(draft), ...definedOnly(changes) });
  checkContent(content);
  const edited: TemplateVersion = { ...draft, ...content };
  if (diffVersions(draft, edited).length === 0) return { aggregate, changed: [] };
  const authors = draft.authors.includes(actor) ? draft.authors : [...draft.authors, actor];
  return {
    aggregate: replaced(aggregate, [{ ...edited, authors, updatedAt: now }]),
    changed: [draft.version],
  };
}

/** A new draft version, copied from the latest; refused while a draft is still on its way. */
export function startVersion(aggregate: TemplateAggregate, actor: string, now: Date): TemplateStep {
  const draft = draftOf(aggregate);
  if (draft) {
    throw new RecordConflict(
      `version ${draft.version} of template "${draft.name}" is still a draft (${draft.state}): publish, send back or withdraw it first`,
    );
  }
  const latest = latestOf(aggregate);
  const next = proposedVersion(
    aggregate.template.id,
    latest.version + 1,
    contentOf(latest),
    actor,
    now,
  );
  const versions = [...aggregate.versions, next];
  return {
    aggregate: { template: summarised(aggregate.template, versions), versions },
    changed: [next.version],
  };
}

function targetOf(aggregate: TemplateAggregate, request: TemplateTransitionRequest) {
  if (request.version !== undefined) {
    const named = aggregate.versions.find((version) => version.version === request.version);
    if (!named) throw new RuleViolation('version', 'is not a version of this template');
    return named;
  }
  return draftOf(aggregate) ?? publishedOf(aggregate) ?? latestOf(aggregate);
}

/**
 * Moves a version (the draft, else the published one, unless `version` names another)
 * or refuses: {@link TransitionRefused} for a step the lifecycle does not take,
 * {@link StepForbidden} without the step's permission or when an author approves their own
 * version, {@link RuleViolation} when a version without its plans is approved.
 */
export function moveTemplate(
  aggregate: TemplateAggregate,
  request: TemplateTransitionRequest,
  actor: TemplateActor,
  now: Date,
): TemplateStep {
  const target = targetOf(aggregate, request);
  const to = request.to as ChangeTemplateState;
  const needs = MACHINE[target.state][to];
  if (!needs) {
    throw new TransitionRefused(target.state, request.to, allowedTemplateTargets(target.state));
  }
  if (needs === 'approve' && !actor.mayApprove) {
    throw new StepForbidden('Approving a standard change template needs change:approve.');
  }
  if (needs === 'write' && !actor.mayWrite) {
    throw new StepForbidden(
      `Moving a standard change template to ${to} needs change:write; approvers only approve.`,
    );
  }
  const reason = text(request.reason);
  const moved: TemplateVersion = { ...target, state: to, stateReason: reason, updatedAt: now };
  const changed: TemplateVersion[] = [];
  if (to === 'approved') {
    if (target.authors.includes(actor.username)) {
      throw new StepForbidden(
        `Four eyes: ${actor.username} proposed or edited version ${target.version}; someone else approves it.`,
      );
    }
    if (!target.implementationPlan) {
      throw new RuleViolation('implementationPlan', 'is required to approve a template version');
    }
    if (!target.backoutPlan) {
      throw new RuleViolation('backoutPlan', 'is required to approve a template version');
    }
    moved.approvedBy = actor.username;
    moved.approvedAt = now;
  }
  if (to === 'proposed') {
    moved.approvedBy = null;
    moved.approvedAt = null;
  }
  if (to === 'published') {
    const previous = publishedOf(aggregate);
    // Superseded first, so that no reader of the events sees two published versions.
    if (previous) {
      changed.push({
        ...previous,
        state: 'retired',
        retiredBy: actor.username,
        retiredAt: now,
        supersededBy: target.version,
        stateReason: `Superseded by version ${target.version}`,
        updatedAt: now,
      });
    }
    moved.publishedBy = actor.username;
    moved.publishedAt = now;
  }
  if (to === 'retired') {
    moved.retiredBy = actor.username;
    moved.retiredAt = now;
  }
  changed.push(moved);
  return {
    aggregate: replaced(aggregate, changed),
    changed: changed.map((version) => version.version),
  };
}

export function contentOf(version: TemplateContent): TemplateContent {
  return {
    name: version.name,
    description: version.description,
    changeTitle: version.changeTitle,
    changeDescription: version.changeDescription,
    category: version.category,
    implementationPlan: version.implementationPlan,
    backoutPlan: version.backoutPlan,
    testPlan: version.testPlan,
    impact: version.impact,
    risk: version.risk,
    assignmentGroup: version.assignmentGroup,
    tasks: version.tasks,
  };
}

const NOT_VERSION_FIELDS = [
  'templateId',
  'version',
  'updatedAt',
] as const satisfies (keyof TemplateVersion)[];

export function diffVersions(before: TemplateVersion, after: TemplateVersion): FieldChange[] {
  return diffRecords(before, after, NOT_VERSION_FIELDS);
}

export function versionFieldsOnOpen(version: TemplateVersion): FieldChange[] {
  return fieldsWithValues(version, NOT_VERSION_FIELDS);
}
