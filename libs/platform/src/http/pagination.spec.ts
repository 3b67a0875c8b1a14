import { ValidationProblem } from '../errors/problem';
import {
  decodeCursor,
  decodeKeysetPosition,
  encodeCursor,
  pageOf,
  type CursorPart,
} from './pagination';

const ID = '0b8f3a52-5d1e-4c61-9a57-2f1a6c0e9d41';

function refused(cursor: string, shape: Record<string, CursorPart>): unknown {
  try {
    decodeCursor(cursor, shape);
  } catch (error) {
    return error instanceof ValidationProblem
      ? { status: error.getStatus(), errors: error.fieldErrors }
      : error;
  }
  return 'accepted';
}

describe('cursors', () => {
  it('round-trip a position of every kind of part', () => {
    const position = { at: '2026-12-03T09:15:00.000Z', id: ID, name: 'Ops', sequence: '42' };
    expect(
      decodeCursor(encodeCursor(position), {
        at: 'instant',
        id: 'uuid',
        name: 'text',
        sequence: 'integer',
      }),
    ).toEqual(position);
  });

  it.each([
    ['not base64 JSON', 'bm90IGpzb24', { id: 'uuid' }],
    ['JSON that is not an object', Buffer.from('42').toString('base64url'), { id: 'uuid' }],
    ['a missing part', encodeCursor({ other: ID }), { id: 'uuid' }],
    ['an id that is not a UUID', encodeCursor({ id: "1' OR 1=1" }), { id: 'uuid' }],
    [
      'a time that is not an instant',
      encodeCursor({ at: 'yesterday', id: ID }),
      { at: 'instant', id: 'uuid' },
    ],
    ['an impossible date', encodeCursor({ at: '2026-02-30T00:00:00Z' }), { at: 'instant' }],
    [
      'a sequence that is not an integer',
      encodeCursor({ sequence: '4.2' }),
      { sequence: 'integer' },
    ],
    [
      'an integer too large for a bigint',
      encodeCursor({ sequence: '9'.repeat(20) }),
      { sequence: 'integer' },
    ],
  ] as const)('refuse %s with a 400 naming the cursor', (_, cursor, shape) => {
    expect(refused(cursor, shape)).toMatchObject({
      status: 400,
      errors: [{ field: 'cursor', message: 'is not a cursor this list returned' }],
    });
  });
});

describe('pages', () => {
  it('offer a next cursor only when a row beyond the page exists', () => {
    const rows = [1, 2, 3];
    expect(pageOf(rows, 3, String, (row) => ({ after: String(row) })).nextCursor).toBeNull();
    const page = pageOf(rows, 2, String, (row) => ({ after: String(row) }));
    expect(page.items).toEqual(['1', '2']);
    expect(decodeCursor(page.nextCursor!, { after: 'text' })).toEqual({ after: '2' });
  });
});

describe('keyset positions', () => {
  const kinds = { priority: 'text', openedAt: 'instant' } as const;
  const id = '0b6f1c3e-6a7d-4b43-9a0e-2f5d8f1c9a11';

  it("reads the sort keys in the sort's order, then the id", () => {
    const cursor = encodeCursor({ priority: 'P2', openedAt: '2026-12-01T08:00:00.000Z', id });
    expect(decodeKeysetPosition(cursor, ['priority', 'openedAt'], kinds)).toEqual({
      values: ['P2', '2026-12-01T08:00:00.000Z'],
      id,
    });
  });

  it('refuses a cursor whose key is not of its kind', () => {
    const forged = encodeCursor({ priority: 'P2', openedAt: 'yesterday', id });
    expect(() => decodeKeysetPosition(forged, ['priority', 'openedAt'], kinds)).toThrow(
      ValidationProblem,
    );
  });
});
