import {
  canonicalJson,
  entryHash,
  sha256Hex,
  type ChainAnchor,
  type ChainedEntry,
} from '../../event-archive/domain/archive-chain';
import { type ClauseDefinition } from './clauses';

/**
 * An audit evidence bundle: for one clause and period, the archived events that show the
 * process ran (each with its place in the hash chain), the records they are about, a
 * summary, the chain's head when the bundle was made, and the bundle's own SHA-256.
 */
export const BUNDLE_FORMAT = 'itsm.evidence-bundle.v1';

export interface EvidenceEventRef {
  sequence: string;
  type: string;
  time: string;
}

export interface EvidenceRecord {
  /** The record's id (the events' subject). */
  id: string;
  /** What kind of record: the record part of its events' types (`change`, `cab_meeting`, `ci`...). */
  kind: string;
  /** Its human number (`CHG0001234`) or name, when its events carry one. */
  number: string | null;
  events: EvidenceEventRef[];
}

export interface KeyEvidenceCount {
  shows: string;
  types: string[];
  count: number;
}

export interface EvidenceSummary {
  events: number;
  records: number;
  byType: Record<string, number>;
  byRecordKind: Record<string, number>;
  keyEvidence: KeyEvidenceCount[];
}

export interface EvidencePeriod {
  from: string;
  to: string;
}

export interface EvidenceClause {
  clause: string;
  title: string;
  shows: string;
}

export interface UnsealedBundle {
  format: typeof BUNDLE_FORMAT;
  clause: EvidenceClause;
  period: EvidencePeriod;
  generatedAt: string;
  generatedFor: string;
  summary: EvidenceSummary;
  records: EvidenceRecord[];
  entries: ChainedEntry[];
  /** The last row of the archive when the bundle was made: anchors the bundle in the chain. */
  chainHead: ChainAnchor;
}

export interface EvidenceBundle extends UnsealedBundle {
  /** SHA-256 (hex) of the canonical JSON of every other field. */
  bundleHash: string;
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record's number or name from the event's data: the object there whose id is the subject. */
function numberOf(entry: ChainedEntry): string | null {
  const event = entry.event as { data?: unknown };
  if (!isRecordObject(event.data)) return null;
  for (const value of Object.values(event.data)) {
    if (!isRecordObject(value) || value.id !== entry.subject) continue;
    if (typeof value.number === 'string') return value.number;
    if (typeof value.name === 'string') return value.name;
  }
  return null;
}

/** `itsm.change_task.created.v1` -> `change_task`. */
export function recordKindOf(type: string): string {
  return type.split('.')[1] ?? type;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The summary and records the entries give: derived, so a verifier derives them again. */
export function describeEntries(
  definition: Pick<ClauseDefinition, 'keyEvidence'>,
  entries: readonly ChainedEntry[],
): { summary: EvidenceSummary; records: EvidenceRecord[] } {
  const records = new Map<string, EvidenceRecord>();
  const byType: Record<string, number> = {};
  const byRecordKind: Record<string, number> = {};
  for (const entry of entries) {
    increment(byType, entry.type);
    const kind = recordKindOf(entry.type);
    const key = `${kind}/${entry.subject}`;
    let record = records.get(key);
    if (!record) {
      record = { id: entry.subject, kind, number: null, events: [] };
      records.set(key, record);
      increment(byRecordKind, kind);
    }
    record.number ??= numberOf(entry);
    record.events.push({ sequence: entry.sequence, type: entry.type, time: entry.time });
  }
  return {
    summary: {
      events: entries.length,
      records: records.size,
      byType,
      byRecordKind,
      keyEvidence: definition.keyEvidence.map(({ shows, types }) => ({
        shows,
        types: [...types],
        count: types.reduce((sum, type) => sum + (byType[type] ?? 0), 0),
      })),
    },
    records: [...records.values()],
  };
}

export function bundleHashOf(bundle: UnsealedBundle): string {
  const {
    format,
    clause,
    period,
    generatedAt,
    generatedFor,
    summary,
    records,
    entries,
    chainHead,
  } = bundle;
  return sha256Hex(
    canonicalJson({
      format,
      clause,
      period,
      generatedAt,
      generatedFor,
      summary,
      records,
      entries,
      chainHead,
    }),
  );
}

export function buildBundle(input: {
  definition: ClauseDefinition;
  period: EvidencePeriod;
  generatedAt: string;
  generatedFor: string;
  entries: ChainedEntry[];
  chainHead: ChainAnchor;
}): EvidenceBundle {
  const { definition, entries } = input;
  const unsealed: UnsealedBundle = {
    format: BUNDLE_FORMAT,
    clause: { clause: definition.clause, title: definition.title, shows: definition.shows },
    period: input.period,
    generatedAt: input.generatedAt,
    generatedFor: input.generatedFor,
    ...describeEntries(definition, entries),
    entries,
    chainHead: input.chainHead,
  };
  return { ...unsealed, bundleHash: bundleHashOf(unsealed) };
}

/** Something in a bundle, or between a bundle and the archive, that does not hold. */
export type BundleFinding =
  | { kind: 'bundle_hash'; expected: string; found: string }
  | { kind: 'entry_hash'; sequence: string; expected: string; found: string }
  | { kind: 'derived'; field: 'summary' | 'records' }
  | { kind: 'not_in_archive'; sequence: string }
  | { kind: 'archive_differs'; sequence: string; expected: string; found: string }
  | { kind: 'head_differs'; sequence: string | null; expected: string; found: string | null }
  | { kind: 'omitted'; sequence: string };

/**
 * What a bundle shows about itself: its hash recomputes, each entry hashes to its stored
 * hash, and its summary and records are what its entries give. Anyone can recompute all
 * of this, so it proves the bundle was not damaged, not that it was not forged: the
 * comparison with the archive does that ({@link compareWithArchive}).
 */
export function checkBundle(
  definition: Pick<ClauseDefinition, 'keyEvidence'>,
  bundle: EvidenceBundle,
): BundleFinding[] {
  const findings: BundleFinding[] = [];
  const recomputed = bundleHashOf(bundle);
  if (recomputed !== bundle.bundleHash)
    findings.push({ kind: 'bundle_hash', expected: recomputed, found: bundle.bundleHash });
  for (const entry of bundle.entries) {
    const expected = entryHash(entry.previousHash, entry);
    if (expected !== entry.hash)
      findings.push({ kind: 'entry_hash', sequence: entry.sequence, expected, found: entry.hash });
  }
  const derived = describeEntries(definition, bundle.entries);
  if (canonicalJson(derived.summary) !== canonicalJson(bundle.summary))
    findings.push({ kind: 'derived', field: 'summary' });
  if (canonicalJson(derived.records) !== canonicalJson(bundle.records))
    findings.push({ kind: 'derived', field: 'records' });
  return findings;
}

/**
 * The bundle against the archive as it is now: each entry is the archive's row at its
 * sequence (same hash, and the row still hashes to it), the head the bundle names is
 * still in the chain, and no event of the clause and period archived up to that head is
 * missing from the bundle.
 */
export function compareWithArchive(
  bundle: EvidenceBundle,
  archive: {
    /** The archive's rows at the bundle's entries' sequences and its head's. */
    rows: readonly ChainedEntry[];
    /** The sequences of the clause's events of the period up to the bundle's head, as the verifier may read them. */
    expectedSequences: readonly string[];
  },
): BundleFinding[] {
  const findings: BundleFinding[] = [];
  const rows = new Map(archive.rows.map((row) => [row.sequence, row]));
  for (const entry of bundle.entries) {
    const row = rows.get(entry.sequence);
    if (!row) {
      findings.push({ kind: 'not_in_archive', sequence: entry.sequence });
      continue;
    }
    const archived = entryHash(row.previousHash, row);
    if (row.hash !== entry.hash || archived !== entry.hash)
      findings.push({
        kind: 'archive_differs',
        sequence: entry.sequence,
        expected: archived,
        found: entry.hash,
      });
  }
  const { sequence, hash } = bundle.chainHead;
  const headRow = sequence === null ? undefined : rows.get(sequence);
  if (sequence !== null && headRow?.hash !== hash)
    findings.push({ kind: 'head_differs', sequence, expected: hash, found: headRow?.hash ?? null });
  const inBundle = new Set(bundle.entries.map((entry) => entry.sequence));
  for (const expected of archive.expectedSequences)
    if (!inBundle.has(expected)) findings.push({ kind: 'omitted', sequence: expected });
  return findings;
}
