import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller } from '@itsm/auth';
import { ValidationProblem } from '@itsm/platform';
import {
  ArchiveChainVerifier,
  chainHead,
  chainedRowsAt,
  type ChainVerification,
} from '../../event-archive/persistence/archive-chain';
import { CLAUSES, clauseDefinition, type ClauseDefinition } from '../domain/clauses';
import {
  buildBundle,
  checkBundle,
  compareWithArchive,
  type BundleFinding,
  type EvidenceBundle,
} from '../domain/evidence-bundle';
import { EvidenceRepository } from '../persistence/evidence.repository';

/** The most events one bundle holds: a longer period is asked for in parts. */
export const MAX_BUNDLE_ENTRIES = 20_000;

export interface EvidenceRequest {
  clause: string;
  from: Date;
  to: Date;
}

export interface BundleVerification {
  /** The bundle is undamaged, every entry is the archive's, none is missing, and the archive's chain holds over the bundle's range. */
  intact: boolean;
  bundleHash: string;
  findings: BundleFinding[];
  /** The archive's chain from the bundle's first entry to the head it names; null for an empty bundle. */
  chain: ChainVerification | null;
}

function definitionOf(clause: string, field: string): ClauseDefinition {
  const definition = clauseDefinition(clause);
  if (!definition)
    throw new ValidationProblem([
      {
        field,
        message: `is not a clause the platform gives evidence for (${CLAUSES.map((known) => known.clause).join(', ')})`,
      },
    ]);
  return definition;
}

function checkedPeriod(from: Date, to: Date, fields: { from: string; to: string }): void {
  if (Number.isNaN(from.getTime()))
    throw new ValidationProblem([{ field: fields.from, message: 'must be an ISO 8601 instant' }]);
  if (Number.isNaN(to.getTime()))
    throw new ValidationProblem([{ field: fields.to, message: 'must be an ISO 8601 instant' }]);
  if (to.getTime() <= from.getTime())
    throw new ValidationProblem([{ field: fields.to, message: 'must be after from' }]);
}

/** Audit evidence: bundles made from the hash-chained archive, and their verification. */
@Injectable()
export class EvidenceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly evidence: EvidenceRepository,
    private readonly chain: ArchiveChainVerifier,
  ) {}

  clauses(): readonly ClauseDefinition[] {
    return CLAUSES;
  }

  /** The bundle of a clause and period, as the caller may read it, anchored at the chain's head. */
  bundle(caller: Caller, request: EvidenceRequest): Promise<EvidenceBundle> {
    const definition = definitionOf(request.clause, 'clause');
    checkedPeriod(request.from, request.to, { from: 'from', to: 'to' });
    // One snapshot: the head and the entries agree, whatever is appended meanwhile.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const head = await chainHead(manager);
      const entries = await this.evidence.entries(
        manager,
        {
          reader: caller,
          families: definition.families,
          from: request.from,
          to: request.to,
          upToSequence: head.sequence,
        },
        MAX_BUNDLE_ENTRIES + 1,
      );
      if (entries.length > MAX_BUNDLE_ENTRIES)
        throw new ValidationProblem([
          {
            field: 'to',
            message: `the period holds more than ${MAX_BUNDLE_ENTRIES} events of clause ${definition.clause}: ask for a shorter period`,
          },
        ]);
      return buildBundle({
        definition,
        period: { from: request.from.toISOString(), to: request.to.toISOString() },
        generatedAt: new Date().toISOString(),
        generatedFor: caller.username,
        entries,
        chainHead: head,
      });
    });
  }

  /**
   * Whether a bundle handed back is intact: undamaged, each entry the archive's own row,
   * none of the clause's events of the period (that the caller may read, up to the bundle's
   * head) left out, and the archive's chain holding over the bundle's range.
   */
  async verify(caller: Caller, bundle: EvidenceBundle): Promise<BundleVerification> {
    const definition = definitionOf(bundle.clause.clause, 'clause.clause');
    checkedPeriod(new Date(bundle.period.from), new Date(bundle.period.to), {
      from: 'period.from',
      to: 'period.to',
    });
    const findings = checkBundle(definition, bundle);
    const compared = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const sequences = bundle.entries.map((entry) => entry.sequence);
      if (bundle.chainHead.sequence !== null) sequences.push(bundle.chainHead.sequence);
      const rows = await chainedRowsAt(manager, sequences);
      const expectedSequences = await this.evidence.sequences(manager, {
        reader: caller,
        families: definition.families,
        from: new Date(bundle.period.from),
        to: new Date(bundle.period.to),
        upToSequence: bundle.chainHead.sequence,
      });
      return compareWithArchive(bundle, { rows, expectedSequences });
    });
    findings.push(...compared);
    const first = bundle.entries[0];
    const chain =
      first && bundle.chainHead.sequence !== null
        ? await this.chain.verify({
            fromSequence: first.sequence,
            toSequence: bundle.chainHead.sequence,
          })
        : null;
    return {
      intact: findings.length === 0 && (chain?.intact ?? true),
      bundleHash: bundle.bundleHash,
      findings,
      chain,
    };
  }
}
