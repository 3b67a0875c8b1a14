/** The replay cache is at capacity: the service is taking more requests than it is sized for. */
export class ReplayCacheFull extends Error {
  constructor(capacity: number) {
    super(`the identity replay cache holds ${capacity} unexpired identities, its capacity`);
    this.name = 'ReplayCacheFull';
  }
}

/**
 * The ids of the identities this process has accepted, each kept until the identity
 * expires: an identity presented a second time within its lifetime is a replay. Bounded:
 * at capacity it refuses to remember more rather than forget an unexpired id (which would
 * let that identity be replayed). Only identities whose signature verified are remembered,
 * so only the gateway's own traffic fills it.
 */
export class ReplayCache {
  /** id -> expiry (ms); insertion order is close to expiry order, since every identity lives as long. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** False when the id was seen and has not expired; otherwise remembers it until `expiresAt`. */
  remember(id: string, expiresAt: number, now: number): boolean {
    const known = this.seen.get(id);
    if (known !== undefined && known >= now) return false;
    this.evictExpired(now);
    // Entries out of expiry order can hide expired ones behind the head; look at all before refusing.
    if (this.seen.size >= this.capacity) this.evictExpired(now, true);
    if (this.seen.size >= this.capacity) throw new ReplayCacheFull(this.capacity);
    this.seen.delete(id);
    this.seen.set(id, expiresAt);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  /** From the oldest entry to the first unexpired one (amortised constant time per request), or all of them. */
  private evictExpired(now: number, everything = false): void {
    for (const [id, expiresAt] of this.seen) {
      if (expiresAt < now) this.seen.delete(id);
      else if (!everything) return;
    }
  }
}
