import { randomUUID } from 'node:crypto';
import {
  ChainWalk,
  GENESIS_HASH,
  canonicalJson,
  entryHash,
  type ChainedContent,
  type ChainedEntry,
} from './archive-chain';

function content(sequence: number, data: object = { n: sequence }): ChainedContent {
  return {
    sequence: String(sequence),
    eventId: randomUUID(),
    topic: 'itsm.change.events.v1',
    partition: 0,
    offset: String(sequence * 10),
    type: 'itsm.change.updated.v1',
    source: '/itsm/change',
    subject: 'c1',
    time: new Date(Date.UTC(2030, 0, 1, 0, sequence)).toISOString(),
    event: { id: 'e', data },
  };
}

/** A chain of `length` rows, as the archive appends them. */
function chain(length: number): ChainedEntry[] {
  const rows: ChainedEntry[] = [];
  let previousHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= length; sequence += 1) {
    const row = content(sequence);
    const hash = entryHash(previousHash, row);
    rows.push({ ...row, previousHash, hash });
    previousHash = hash;
  }
  return rows;
}

const walk = (rows: readonly ChainedEntry[]) => {
  const walker = new ChainWalk({ sequence: null, hash: GENESIS_HASH });
  for (const row of rows) if (!walker.check(row)) break;
  return walker;
};

describe('the hash chain of the event archive', () => {
  it('writes JSON canonically (RFC 8785): keys sorted, no whitespace, numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: [1, { z: 1e21, a: -0 }], a: 'é\u2028', c: 0.1 + 0.2 })).toBe(
      '{"a":"é\u2028","b":[1,{"a":0,"z":1e+21}],"c":0.30000000000000004}',
    );
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson(undefined)).toThrow(/JSON data/);
  });

  it('hashes the same content the same way whatever the key order, and any change differently', () => {
    const row = content(1, { a: 1, b: { c: 2, d: 3 } });
    const reordered = { ...row, event: { data: { b: { d: 3, c: 2 }, a: 1 }, id: 'e' } };
    expect(entryHash(GENESIS_HASH, reordered)).toBe(entryHash(GENESIS_HASH, row));
    expect(entryHash(GENESIS_HASH, row)).toMatch(/^[0-9a-f]{64}$/);
    for (const changed of [
      { ...row, event: { id: 'e', data: { a: 2, b: { c: 2, d: 3 } } } },
      { ...row, sequence: '2' },
      { ...row, offset: '11' },
      { ...row, time: '2030-01-01T00:02:00.000Z' },
    ])
      expect(entryHash(GENESIS_HASH, changed)).not.toBe(entryHash(GENESIS_HASH, row));
    expect(entryHash('1'.repeat(64), row)).not.toBe(entryHash(GENESIS_HASH, row));
  });

  it('holds over an unaltered chain, and ends at the head it recorded', () => {
    const rows = chain(5);
    const walker = walk(rows);
    expect(walker.broken).toBeNull();
    expect(walker.checked).toBe(5);
    expect(walker.checkHead({ sequence: '5', hash: rows[4]?.hash ?? '' })).toBe(true);
  });

  it('finds an edited row at its sequence, as content', () => {
    const rows = chain(5);
    const edited = rows.map((row) =>
      row.sequence === '3' ? { ...row, event: { id: 'e', data: { n: 300 } } } : row,
    );
    expect(walk(edited).broken).toMatchObject({
      sequence: '3',
      kind: 'content',
      found: rows[2]?.hash,
    });
  });

  it('finds an edited row whose hash was rewritten too, at the next row, as a link', () => {
    const rows = chain(5);
    const forged = rows.map((row) => {
      if (row.sequence !== '3') return row;
      const event = { id: 'e', data: { n: 300 } };
      return { ...row, event, hash: entryHash(row.previousHash, { ...row, event }) };
    });
    expect(walk(forged).broken).toMatchObject({ sequence: '4', kind: 'link' });
  });

  it('finds a removed row at the row after it, naming the row before it', () => {
    const rows = chain(5);
    expect(walk(rows.filter((row) => row.sequence !== '3')).broken).toEqual({
      sequence: '4',
      kind: 'link',
      expected: rows[1]?.hash,
      found: rows[2]?.hash,
      previousSequence: '2',
    });
  });

  it('finds rows removed from the end against the recorded head', () => {
    const rows = chain(5);
    const walker = walk(rows.slice(0, 4));
    expect(walker.checkHead({ sequence: '5', hash: rows[4]?.hash ?? '' })).toBe(false);
    expect(walker.broken).toMatchObject({ sequence: '5', kind: 'head', previousSequence: '4' });
  });
});
