import { type FactRow, type FactTableShape } from './fact-table';

/** What a projection reads of an event: its type, when it happened, and its data. */
export interface ProjectedEvent {
  type: string;
  /** ISO 8601. */
  time: string;
  data: unknown;
}

/** Maps one schema version of a family's events to a fact row (null: nothing to record). */
export type EventReader = (event: ProjectedEvent) => FactRow | null;

export interface ProjectionDefinition {
  /** The name in URLs and in `projection_state`. */
  name: string;
  /** The code version: bump it when a reader changes what it writes, and rebuild. */
  version: number;
  /** Stable, small and unique: the advisory lock ids of this projection derive from it. */
  lockId: number;
  shape: FactTableShape;
  /**
   * The upcaster table: per record family (`incident` of `itsm.incident.created.v1`), the
   * reader of each schema version this code knows. An event of a family named here in a
   * version missing here is skipped and counted, never guessed at.
   */
  readers: Readonly<Record<string, Readonly<Record<number, EventReader>>>>;
}

/** `itsm.<family>.<happening>.v<n>` taken apart. */
export interface EventTypeName {
  family: string;
  happening: string;
  version: number;
}

const TYPE_NAME = /^itsm\.([a-z_]+)\.([a-z_]+)\.v([1-9][0-9]*)$/;

export function parseEventType(type: string): EventTypeName | null {
  const match = TYPE_NAME.exec(type);
  if (!match) return null;
  return { family: match[1] ?? '', happening: match[2] ?? '', version: Number(match[3]) };
}

/**
 * What a projection does with an event: not its family (`ignored`), a family it reads in
 * a version it does not know (`skipped`: counted, kept in the archive for a later reader
 * and rebuild), or the fact to merge (`fact`, null when the event records nothing).
 */
export type Projected =
  { outcome: 'ignored' } | { outcome: 'skipped' } | { outcome: 'applied'; fact: FactRow | null };

export function project(projection: ProjectionDefinition, event: ProjectedEvent): Projected {
  const name = parseEventType(event.type);
  const versions = name ? projection.readers[name.family] : undefined;
  if (!name || !versions) return { outcome: 'ignored' };
  const reader = versions[name.version];
  if (!reader) return { outcome: 'skipped' };
  return { outcome: 'applied', fact: reader(event) };
}

/** The families a projection reads, as `LIKE` patterns on the event type. */
export function typePatterns(projection: ProjectionDefinition): string[] {
  return Object.keys(projection.readers).map((family) => `itsm.${family}.%`);
}

/** ISO 8601 UTC, so that timestamps from any writer compare as strings. */
export function instant(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}
