import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Caller, type RecordAccessPolicy } from '@itsm/auth';
import { RECORD_ACCESS_POLICY } from '@itsm/platform';
import { type ChainedEntry } from '../../event-archive/domain/archive-chain';
import { type EventFamily } from '../../event-archive/domain/event-access';
import {
  CHAINED_COLUMNS,
  entryOf,
  type ChainedRow,
} from '../../event-archive/persistence/archive-chain';
import { ArchivedEventEntity } from '../../event-archive/persistence/archived-event.entity';
import { archiveVisibility } from '../../event-archive/persistence/event-visibility';

/** The archived events of some record families in a period, up to a row of the chain. */
export interface EvidenceSelection {
  reader: Caller;
  families: readonly EventFamily[];
  /** Event time at or after. */
  from: Date;
  /** Event time before. */
  to: Date;
  /** Only rows up to this sequence (the chain head the bundle is anchored at); null: none. */
  upToSequence: string | null;
}

/** Reads the evidence of a clause from the archive, by the archive's own visibility rule. */
@Injectable()
export class EvidenceRepository {
  constructor(@Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy) {}

  private selection(manager: EntityManager, selection: EvidenceSelection) {
    const visible = archiveVisibility(manager, selection.reader, this.policy);
    return manager
      .createQueryBuilder()
      .from(ArchivedEventEntity, 'archived')
      .where(visible.sql, visible.parameters)
      .andWhere('archived.family = ANY(:families)', { families: selection.families })
      .andWhere('archived.time >= :from AND archived.time < :to', {
        from: selection.from,
        to: selection.to,
      })
      .andWhere('archived.sequence <= :upTo', { upTo: selection.upToSequence ?? '0' })
      .orderBy('archived.sequence', 'ASC');
  }

  /** The entries, in archive order; at most `limit`. */
  async entries(
    manager: EntityManager,
    selection: EvidenceSelection,
    limit: number,
  ): Promise<ChainedEntry[]> {
    const rows = await this.selection(manager, selection)
      .select(CHAINED_COLUMNS)
      .limit(limit)
      .getRawMany<ChainedRow>();
    return rows.map(entryOf);
  }

  async sequences(manager: EntityManager, selection: EvidenceSelection): Promise<string[]> {
    const rows = await this.selection(manager, selection)
      .select('archived.sequence::text', 'sequence')
      .getRawMany<{ sequence: string }>();
    return rows.map((row) => row.sequence);
  }
}
