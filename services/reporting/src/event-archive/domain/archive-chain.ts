import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

/**
 * The hash chain over the event archive (ADR 0014): each row's hash covers the previous
 * row's hash and the row's own content, so that an edit, an insertion or a removal anywhere
 * breaks every later link. Pure: the archive's appender, its verifier and the verifier of
 * exported evidence bundles all hash through here.
 */

/** The `previousHash` of the first row of the archive. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON in a canonical form: object keys sorted by UTF-16 code units, no whitespace,
 * numbers as ECMAScript writes them. For JSON data (what the archive holds) this is
 * RFC 8785 (JCS); anything that is not JSON data is refused rather than silently dropped.
 */
const strictStableStringify = configure({
  strict: true,
  deterministic: true,
  circularValue: Error,
  bigint: false,
});

export function canonicalJson(value: unknown): string {
  const text = strictStableStringify(value);
  if (text === undefined) throw new Error('only JSON data has a canonical form');
  return text;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What a row's hash covers: where the event came from and the event itself. */
export interface ChainedContent {
  /** Position in the archive (a decimal integer). */
  sequence: string;
  eventId: string;
  topic: string;
  partition: number;
  /** Kafka offset (a decimal integer). */
  offset: string;
  type: string;
  source: string;
  subject: string;
  /** The event's time as the archive keeps it (ISO 8601 UTC, milliseconds). */
  time: string;
  /** The CloudEvent as JSON data. */
  event: unknown;
}

export interface ChainedEntry extends ChainedContent {
  previousHash: string;
  hash: string;
}

/** A row's hash: SHA-256 (hex) of the canonical JSON of its content and the previous row's hash. */
export function entryHash(previousHash: string, content: ChainedContent): string {
  const { sequence, eventId, topic, partition, offset, type, source, subject, time, event } =
    content;
  return sha256Hex(
    canonicalJson({
      previousHash,
      sequence,
      eventId,
      topic,
      partition,
      offset,
      type,
      source,
      subject,
      time,
      event,
    }),
  );
}

/**
 * Where a chain stops holding:
 * - `content`: the row no longer hashes to the hash stored with it (its content was edited);
 * - `link`: the row does not follow the row before it (a row before it was removed or
 *   inserted, or the previous row's hash rewritten); `previousSequence` names that row;
 * - `head`: the last row is not the head the archive recorded (rows at the end removed).
 */
export interface ChainBreak {
  sequence: string;
  kind: 'content' | 'link' | 'head';
  expected: string;
  found: string;
  previousSequence?: string | null;
}

/** The row a walk continues from: its sequence (null before the first row) and its hash. */
export interface ChainAnchor {
  sequence: string | null;
  hash: string;
}

/**
 * Checks rows in sequence order, batch after batch, from an anchor: each row must hash to
 * its stored hash and name the previous row's hash as its `previousHash`. Stops at the
 * first break.
 */
export class ChainWalk {
  private position: ChainAnchor;
  private failure: ChainBreak | null = null;
  private count = 0;

  constructor(anchor: ChainAnchor) {
    this.position = anchor;
  }

  /** False once the chain is broken: later rows prove nothing more. */
  check(row: ChainedEntry): boolean {
    if (this.failure) return false;
    if (row.previousHash !== this.position.hash) {
      this.failure = {
        sequence: row.sequence,
        kind: 'link',
        expected: this.position.hash,
        found: row.previousHash,
        previousSequence: this.position.sequence,
      };
      return false;
    }
    const recomputed = entryHash(row.previousHash, row);
    if (recomputed !== row.hash) {
      this.failure = {
        sequence: row.sequence,
        kind: 'content',
        expected: recomputed,
        found: row.hash,
      };
      return false;
    }
    this.count += 1;
    this.position = { sequence: row.sequence, hash: row.hash };
    return true;
  }

  /** At the end of the archive: the last row checked must be the head the archive recorded. */
  checkHead(head: ChainAnchor): boolean {
    if (this.failure) return false;
    if (head.sequence !== this.position.sequence || head.hash !== this.position.hash) {
      this.failure = {
        sequence: head.sequence ?? '0',
        kind: 'head',
        expected: head.hash,
        found: this.position.hash,
        previousSequence: this.position.sequence,
      };
      return false;
    }
    return true;
  }

  get checked(): number {
    return this.count;
  }

  get last(): ChainAnchor {
    return this.position;
  }

  get broken(): ChainBreak | null {
    return this.failure;
  }
}
