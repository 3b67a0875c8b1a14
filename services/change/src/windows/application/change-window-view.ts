import { type ChangeWindowSnapshot } from '@itsm/contracts';
import { type ChangeWindow } from '../domain/change-window';
import { type Interval } from '../domain/interval';

/** An occurrence as the API answers it. */
export interface OccurrenceView {
  start: string;
  end: string;
}

/** A change window as the API answers it; with the occurrences in a range when the list is asked for one. */
export type ChangeWindowView = ChangeWindowSnapshot & { occurrences?: OccurrenceView[] };

const iso = (instant: Date | null) => (instant ? instant.toISOString() : null);

/** The window as its events carry it, and as the API answers it. */
export function toSnapshot(window: ChangeWindow): ChangeWindowSnapshot {
  return {
    id: window.id,
    name: window.name,
    kind: window.kind,
    description: window.description,
    start: window.start.toISOString(),
    end: window.end.toISOString(),
    recurrence: window.recurrence,
    timeZone: window.timeZone,
    ciIds: window.ciIds,
    businessServiceIds: window.businessServiceIds,
    ciClasses: window.ciClasses,
    active: window.active,
    inForce: window.inForce,
    enforcedAt: iso(window.enforcedAt),
    enforcedBy: window.enforcedBy,
    liftedAt: iso(window.liftedAt),
    liftedBy: window.liftedBy,
    retiredAt: iso(window.retiredAt),
    retiredBy: window.retiredBy,
    createdBy: window.createdBy,
    createdAt: window.createdAt.toISOString(),
    updatedBy: window.updatedBy,
    updatedAt: window.updatedAt.toISOString(),
    version: window.version,
  };
}

export function toOccurrenceView(occurrence: Interval): OccurrenceView {
  return { start: occurrence.start.toISOString(), end: occurrence.end.toISOString() };
}
