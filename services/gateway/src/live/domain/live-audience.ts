import {
  GOVERNED_RECORD_TYPES,
  callerHasPermission,
  isInScope,
  recordScope,
  type Caller,
  type RecordAccessPolicy,
  type RecordScope,
} from '@itsm/auth';
import { type LiveRecordChange, type LiveRecordType } from './live-change';

/** One open stream, known here by whose it is. */
export interface LiveSubscriber {
  readonly caller: Caller;
}

export interface AudienceLimits {
  /** Streams one user (or API key) may hold at once: a few tabs, not a leak. */
  maxPerUser: number;
  /** Streams this gateway replica holds at once. */
  maxTotal: number;
}

export type JoinRefusal = 'too-many-for-user' | 'too-many';

/**
 * The record types a caller may read and, for each, the records it may see: computed once
 * per stream, since a stream's caller does not change (a new token is a new stream).
 * Undefined for a type the caller's roles do not read at all.
 */
type Scopes = Partial<Record<LiveRecordType, RecordScope>>;

function scopesOf(caller: Caller, policy: RecordAccessPolicy): Scopes {
  const scopes: Scopes = {};
  for (const type of GOVERNED_RECORD_TYPES) {
    if (callerHasPermission(caller, `${type}:read`))
      scopes[type] = recordScope(caller, type, policy);
  }
  // Changes carry no record-level rule: whoever reads changes reads every one.
  if (callerHasPermission(caller, 'change:read')) scopes.change = { kind: 'all' };
  return scopes;
}

/**
 * Everyone listening on this replica, and who of them may hear of a change: the API's own
 * rule (`<type>:read`, then `recordScope` applied to the record as the event leaves it), so
 * that the feed names exactly the records a read by id would answer.
 */
export class LiveAudience<S extends LiveSubscriber = LiveSubscriber> {
  private readonly subscribers = new Map<S, Scopes>();
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly limits: AudienceLimits,
    private readonly policy: RecordAccessPolicy,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a stream, or says why it may not be opened. */
  join(subscriber: S): JoinRefusal | undefined {
    const user = subscriber.caller.username;
    const held = this.perUser.get(user) ?? 0;
    if (held >= this.limits.maxPerUser) return 'too-many-for-user';
    if (this.subscribers.size >= this.limits.maxTotal) return 'too-many';
    this.subscribers.set(subscriber, scopesOf(subscriber.caller, this.policy));
    this.perUser.set(user, held + 1);
    return undefined;
  }

  leave(subscriber: S): void {
    if (!this.subscribers.delete(subscriber)) return;
    const user = subscriber.caller.username;
    const held = (this.perUser.get(user) ?? 1) - 1;
    if (held > 0) this.perUser.set(user, held);
    else this.perUser.delete(user);
  }

  /** The streams that may hear of this change. */
  recipients({ change, ownership }: LiveRecordChange): S[] {
    const recipients: S[] = [];
    for (const [subscriber, scopes] of this.subscribers) {
      const scope = scopes[change.recordType];
      if (scope && (ownership === null ? scope.kind === 'all' : isInScope(scope, ownership)))
        recipients.push(subscriber);
    }
    return recipients;
  }

  all(): S[] {
    return [...this.subscribers.keys()];
  }
}
