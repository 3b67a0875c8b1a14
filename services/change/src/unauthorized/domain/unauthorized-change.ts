import { type ChangeState, type CiEventV1, type CiSnapshot } from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import { type Change, type NewChange } from '../../changes/domain/change';

/** Who the unauthorised changes, their notes and history name: no person raised them. */
export const SYSTEM_ACTOR = 'system';

/**
 * What a changed CI field says about the thing the CI stands for. `configuration`: the
 * thing itself changed (its attributes, its identity on the network or the hardware, the
 * environment it serves, whether it is in service), which needs a change. `bookkeeping`:
 * what the CMDB records about it changed (its label, class refinement, owner, criticality,
 * who may see it, which sources reported it and when), which does not.
 */
export type CiFieldKind = 'configuration' | 'bookkeeping';

/**
 * Every field of the CI snapshot, classified. Typed against the contract's snapshot, so a
 * field added to it does not compile until it is classified here.
 */
export const CI_FIELD_KINDS = {
  id: 'bookkeeping',
  class: 'bookkeeping',
  name: 'bookkeeping',
  status: 'configuration',
  environment: 'configuration',
  ownerGroup: 'bookkeeping',
  restricted: 'bookkeeping',
  criticality: 'bookkeeping',
  identifiers: 'configuration',
  attributes: 'configuration',
  sources: 'bookkeeping',
  lastDiscoveredAt: 'bookkeeping',
  createdAt: 'bookkeeping',
  updatedAt: 'bookkeeping',
  version: 'bookkeeping',
} as const satisfies Record<keyof CiSnapshot, CiFieldKind>;

/** How the detection weighs time and which fields a deployment chose not to watch. */
export interface DetectionPolicy {
  /** A change whose implementation ended this long before the update still explains it. */
  graceMs: number;
  /** An update this soon after the last one an open unauthorised change recorded joins it. */
  burstWindowMs: number;
  /** An update read this long after it was made is not acted on (a replay, a new consumer group). */
  maxAgeMs: number;
  /** Dotted field names not watched (`attributes.uptimeSeconds`), or `<field>.*` for all below one. */
  ignoredFields: readonly string[];
}

/** A CMDB update that changed the CI itself, as the detection reads it. */
export interface CiUpdate {
  ciId: string;
  ciName: string;
  ciClass: string;
  restricted: boolean;
  ownerGroup: string | null;
  /** When the CMDB recorded it (the event's time). */
  at: Date;
  actor: string;
  /** The discovery source of an import; null through the API. */
  source: string | null;
  /** Only the configuration fields, with their values before and after. */
  fields: FieldChange[];
}

/** What the detection needs to know of a change that names the CI. */
export interface ChangeOnCi {
  id: string;
  number: string;
  state: ChangeState;
  unauthorized: boolean;
  actualEnd: Date | null;
}

export type Consideration =
  | { kind: 'ignored'; reason: 'bookkeeping_only' | 'too_old' }
  | { kind: 'considered'; update: CiUpdate };

export type Verdict =
  /** A change on the CI is being implemented or reviewed, or ended within the grace period. */
  | { kind: 'authorised'; by: ChangeOnCi }
  /** Part of the burst an open unauthorised change of the CI is already recording. */
  | { kind: 'same_burst'; change: ChangeOnCi }
  | { kind: 'unauthorised' };

function ignoredBy(field: string, ignored: readonly string[]): boolean {
  return ignored.some((name) =>
    name.endsWith('.*') ? field.startsWith(name.slice(0, -1)) : name === field,
  );
}

function valueAt(snapshot: object, field: string): unknown {
  let value: unknown = snapshot;
  for (const part of field.split('.')) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  return value ?? null;
}

function known(value: unknown): boolean {
  return !(
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * The fields of an update that changed the CI itself, with their old and new values: a
 * configuration field that had a value and now has another, or none. A value set where
 * there was none is the CMDB learning what the CI already was (a discovery source seen for
 * the first time, someone completing a record), not the CI changing. A top-level field the
 * contract does not know (a newer cmdb) does not count until it is classified in
 * {@link CI_FIELD_KINDS}.
 */
export function configurationChanges(
  data: Pick<CiEventV1, 'ci' | 'changedFields' | 'previous'>,
  ignoredFields: readonly string[] = [],
): FieldChange[] {
  const kinds: Record<string, CiFieldKind | undefined> = CI_FIELD_KINDS;
  return data.changedFields
    .filter((field) => kinds[field.split('.')[0] ?? ''] === 'configuration')
    .filter((field) => !ignoredBy(field, ignoredFields))
    .map((field) => ({
      field,
      oldValue: data.previous[field] ?? null,
      newValue: valueAt(data.ci, field),
    }))
    .filter((change) => known(change.oldValue));
}

/** Whether a `itsm.ci.updated.v1` is one to judge at all, and if so the update it describes. */
export function considerCiUpdate(
  data: CiEventV1,
  at: Date,
  policy: DetectionPolicy,
  now: Date,
): Consideration {
  const fields = configurationChanges(data, policy.ignoredFields);
  if (fields.length === 0) return { kind: 'ignored', reason: 'bookkeeping_only' };
  if (now.getTime() - at.getTime() > policy.maxAgeMs) return { kind: 'ignored', reason: 'too_old' };
  return {
    kind: 'considered',
    update: {
      ciId: data.ci.id,
      ciName: data.ci.name,
      ciClass: data.ci.class,
      restricted: data.ci.restricted ?? false,
      ownerGroup: data.ci.ownerGroup,
      at,
      actor: data.actor,
      source: data.source,
      fields,
    },
  };
}

/**
 * Whether a change explains an update of its CI: it is being implemented or reviewed
 * (PRODUCT.md), or it is closed and its implementation ended no earlier than the grace
 * period before the update, because discovery reports a change on its next run, after
 * the change may have been closed. An unauthorised change explains nothing.
 */
export function explains(change: ChangeOnCi, at: Date, graceMs: number): boolean {
  if (change.unauthorized) return false;
  if (change.state === 'implement' || change.state === 'review') return true;
  return (
    change.state === 'closed' &&
    change.actualEnd !== null &&
    change.actualEnd.getTime() >= at.getTime() - graceMs
  );
}

/**
 * Whether an update belongs to the burst an unauthorised change records: the change is
 * still in review and its last recorded update (`actualEnd`) is at most the window before
 * this one. The window slides: each update joined moves `actualEnd` on.
 */
export function inSameBurst(
  change: Pick<ChangeOnCi, 'state' | 'unauthorized' | 'actualEnd'>,
  at: Date,
  burstWindowMs: number,
): boolean {
  return (
    change.unauthorized &&
    change.state === 'review' &&
    change.actualEnd !== null &&
    at.getTime() - change.actualEnd.getTime() <= burstWindowMs
  );
}

/** What an update of a CI is, given the changes that name the CI. */
export function judge(
  update: Pick<CiUpdate, 'at'>,
  changesOnCi: readonly ChangeOnCi[],
  policy: Pick<DetectionPolicy, 'graceMs' | 'burstWindowMs'>,
): Verdict {
  const by = changesOnCi.find((change) => explains(change, update.at, policy.graceMs));
  if (by) return { kind: 'authorised', by };
  const latest = changesOnCi
    .filter((change) => inSameBurst(change, update.at, policy.burstWindowMs))
    .sort((a, b) => (b.actualEnd?.getTime() ?? 0) - (a.actualEnd?.getTime() ?? 0))[0];
  return latest ? { kind: 'same_burst', change: latest } : { kind: 'unauthorised' };
}

const MAX_TITLE_NAME = 200;
const MAX_VALUE_TEXT = 200;
const MAX_FIELDS_LISTED = 50;

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 1)}…` : text;
}

/**
 * The changed fields, one line each. A restricted CI's values are left out: every reader
 * of changes reads this change, not only those who may see the CI (docs/cmdb.md).
 */
function fieldLines(update: CiUpdate): string[] {
  const listed = update.fields
    .slice(0, MAX_FIELDS_LISTED)
    .map((change) =>
      update.restricted
        ? `- ${change.field}`
        : `- ${change.field}: ${formatValue(change.oldValue)} → ${formatValue(change.newValue)}`,
    );
  const more = update.fields.length - listed.length;
  if (more > 0) listed.push(`- and ${more} more (see the CI's history)`);
  if (update.restricted)
    listed.push("(Values withheld: the CI is restricted; see the CI's history.)");
  return listed;
}

function ciLabel(update: CiUpdate): string {
  return update.restricted
    ? `a restricted CI (${update.ciId})`
    : `CI "${update.ciName}" (${update.ciClass}, ${update.ciId})`;
}

function originText(update: CiUpdate): string {
  return update.source
    ? `by ${update.actor} through the discovery source "${update.source}"`
    : `by ${update.actor} through the CMDB API`;
}

function shortened(name: string): string {
  const trimmed = name.trim();
  return trimmed.length > MAX_TITLE_NAME ? `${trimmed.slice(0, MAX_TITLE_NAME - 1)}…` : trimmed;
}

/**
 * The emergency change that records an unauthorised change: on the CI alone, for the CI's
 * owner group to review, requested by the system.
 */
export function unauthorizedChangeInput(update: CiUpdate): NewChange {
  const name = update.restricted ? 'a restricted CI' : shortened(update.ciName);
  return {
    title: `Unauthorised change detected on ${name}`,
    description: [
      `The CMDB recorded a change of ${ciLabel(update)} at ${update.at.toISOString()} ${originText(update)}, and no change on the CI was being implemented or reviewed.`,
      '',
      'What changed:',
      ...fieldLines(update),
      '',
      'Find out who made it and why and whether it stays, and record that as the review notes; a change that should not stay is backed out through a change of its own.',
    ].join('\n'),
    model: 'emergency',
    ciIds: [update.ciId],
    assignmentGroup: update.ownerGroup,
    unauthorized: true,
    requestedBy: SYSTEM_ACTOR,
  };
}

/**
 * A just-opened unauthorised change as it is stored: it already happened, so it is in
 * review, and it was implemented at the time the CMDB recorded it.
 */
export function asDetected(change: Change, at: Date): Change {
  return { ...change, state: 'review', actualStart: at, actualEnd: at };
}

/** The change with one more update of its burst: its actual end moves to the latest update. */
export function withBurstUpdate(change: Change, at: Date): Change {
  if (change.actualEnd && change.actualEnd.getTime() >= at.getTime()) return change;
  return { ...change, actualEnd: at };
}

/** The work note an update of the same burst adds to the open unauthorised change. */
export function burstNote(update: CiUpdate): string {
  return [
    `The CMDB recorded another change of ${ciLabel(update)} at ${update.at.toISOString()} ${originText(update)}:`,
    ...fieldLines(update),
  ].join('\n');
}
