import { EventTypes } from '@itsm/contracts';
import {
  GENESIS_HASH,
  entryHash,
  type ChainedEntry,
} from '../../event-archive/domain/archive-chain';
import { CLAUSES, clauseDefinition } from './clauses';
import { buildBundle, checkBundle, compareWithArchive } from './evidence-bundle';

const changeManagement = clauseDefinition('8.5.1');
if (!changeManagement) throw new Error('8.5.1 is not in the clause table');

function entries(types: readonly string[]): ChainedEntry[] {
  let previousHash = GENESIS_HASH;
  return types.map((type, index) => {
    const content = {
      sequence: String(index + 10),
      eventId: `e${index}`,
      topic: 'itsm.change.events.v1',
      partition: 0,
      offset: String(index),
      type,
      source: '/itsm/change',
      subject: 'chg-1',
      time: new Date(Date.UTC(2030, 0, 1, index)).toISOString(),
      event: { type, data: { change: { id: 'chg-1', number: 'CHG0000042' } } },
    };
    const hash = entryHash(previousHash, content);
    const entry = { ...content, previousHash, hash };
    previousHash = hash;
    return entry;
  });
}

const CHANGE_HISTORY = [
  EventTypes.change.created,
  EventTypes.change.approvalDecided,
  EventTypes.change.authorized,
  EventTypes.change.stateChanged,
  EventTypes.change.closed,
];

const bundleOf = (rows: ChainedEntry[]) =>
  buildBundle({
    definition: changeManagement,
    period: { from: '2030-01-01T00:00:00.000Z', to: '2030-01-02T00:00:00.000Z' },
    generatedAt: '2030-01-03T00:00:00.000Z',
    generatedFor: 'auditor',
    entries: rows,
    chainHead: { sequence: rows.at(-1)?.sequence ?? null, hash: rows.at(-1)?.hash ?? GENESIS_HASH },
  });

describe('audit evidence bundles', () => {
  it('maps every clause to record families, and every key event type to a catalogued type', () => {
    expect(CLAUSES.map((clause) => clause.clause)).toEqual(
      expect.arrayContaining(['8.2.6', '8.3.3', '8.5.1', '8.6.1', '8.6.2', '8.6.3']),
    );
    const catalogued = new Set(
      Object.values(EventTypes).flatMap((types) => Object.values(types) as string[]),
    );
    for (const clause of CLAUSES) {
      expect(clause.families.length).toBeGreaterThan(0);
      for (const evidence of clause.keyEvidence)
        for (const type of evidence.types) expect(catalogued).toContain(type);
    }
  });

  it('summarises a change with its approval and review, as one record with its number', () => {
    const bundle = bundleOf(entries(CHANGE_HISTORY));
    expect(bundle.summary).toMatchObject({
      events: 5,
      records: 1,
      byRecordKind: { change: 1 },
      byType: { [EventTypes.change.approvalDecided]: 1 },
    });
    const approvals = bundle.summary.keyEvidence.find((key) =>
      key.types.includes(EventTypes.change.approvalDecided),
    );
    expect(approvals?.count).toBe(2);
    expect(bundle.records).toEqual([
      expect.objectContaining({ id: 'chg-1', kind: 'change', number: 'CHG0000042' }),
    ]);
    expect(bundle.records[0]?.events.map((event) => event.sequence)).toEqual([
      '10',
      '11',
      '12',
      '13',
      '14',
    ]);
    expect(bundle.bundleHash).toMatch(/^[0-9a-f]{64}$/);
    expect(checkBundle(changeManagement, bundle)).toEqual([]);
  });

  it('finds an edited entry, and a bundle whose hash no longer recomputes', () => {
    const bundle = bundleOf(entries(CHANGE_HISTORY));
    const edited = structuredClone(bundle);
    const entry = edited.entries[1];
    if (!entry) throw new Error('no entry');
    entry.event = { type: entry.type, data: { change: { id: 'chg-1', number: 'CHG0000043' } } };
    expect(checkBundle(changeManagement, edited)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'bundle_hash', found: bundle.bundleHash }),
        expect.objectContaining({ kind: 'entry_hash', sequence: '11', found: entry.hash }),
      ]),
    );
    const trimmed = structuredClone(bundle);
    trimmed.summary.events = 4;
    expect(checkBundle(changeManagement, trimmed)).toEqual(
      expect.arrayContaining([{ kind: 'derived', field: 'summary' }]),
    );
  });

  it('tells a forged bundle from the archive: rows that differ, entries left out, a head not in the chain', () => {
    const archived = entries(CHANGE_HISTORY);
    // A forger rebuilds a consistent bundle from edited entries, without the approval.
    const forgedEntries = entries([
      EventTypes.change.created,
      EventTypes.change.authorized,
      EventTypes.change.stateChanged,
      EventTypes.change.closed,
    ]);
    const forged = bundleOf(forgedEntries);
    expect(checkBundle(changeManagement, forged)).toEqual([]);
    const findings = compareWithArchive(forged, {
      rows: archived,
      expectedSequences: archived.map((row) => row.sequence),
    });
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'archive_differs', sequence: '11' }),
        expect.objectContaining({ kind: 'head_differs', sequence: '13' }),
        { kind: 'omitted', sequence: '14' },
      ]),
    );
    const genuine = bundleOf(archived);
    expect(
      compareWithArchive(genuine, {
        rows: archived,
        expectedSequences: archived.map((row) => row.sequence),
      }),
    ).toEqual([]);
  });
});
