import type { Session } from '../auth/session';
import { t } from '../strings';
import {
  INCIDENT_STATES,
  OPEN_INCIDENT_STATES,
  OPEN_REQUEST_STATES,
  REQUEST_STATES,
} from './states';

export type RecordType = 'incident' | 'request';

/**
 * What differs between incidents and service requests, which share the API's pattern
 * (docs/incidents.md): every page takes a kind and is otherwise the same for both.
 */
export interface RecordKind {
  type: RecordType;
  /** The API's collection (`/api/v1/incidents`), the console's path and the lists' query key. */
  collection: 'incidents' | 'requests';
  states: string[];
  openStates: string[];
  words: (typeof t.kinds)[RecordType];
}

export const RECORD_KINDS: Record<RecordType, RecordKind> = {
  incident: {
    type: 'incident',
    collection: 'incidents',
    states: INCIDENT_STATES,
    openStates: OPEN_INCIDENT_STATES,
    words: t.kinds.incident,
  },
  request: {
    type: 'request',
    collection: 'requests',
    states: REQUEST_STATES,
    openStates: OPEN_REQUEST_STATES,
    words: t.kinds.request,
  },
};

export const ALL_KINDS = Object.values(RECORD_KINDS);

/** `?type=request` in a list's address; incidents otherwise. */
export function kindOf(type: string | null): RecordKind {
  return type === 'request' ? RECORD_KINDS.request : RECORD_KINDS.incident;
}

export const worksOn = (session: Session, kind: RecordKind) => session.can(`${kind.type}:update`);
export const reads = (session: Session, kind: RecordKind) => session.can(`${kind.type}:read`);
export const mayCreate = (session: Session, kind: RecordKind) => session.can(`${kind.type}:create`);
export const mayComment = (session: Session, kind: RecordKind) =>
  session.can(`${kind.type}:comment`);

/** Where a record's page is. */
export const recordPath = (kind: RecordKind, id: string) => `/${kind.collection}/${id}`;
