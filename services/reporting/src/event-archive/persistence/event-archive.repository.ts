import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Caller, type RecordAccessPolicy } from '@itsm/auth';
import { qualifiedTable } from '@itsm/persistence';
import { RECORD_ACCESS_POLICY, type SortOrder } from '@itsm/platform';
import {
  familyOf,
  governedRecordsOf,
  recordAccessOf,
  type RecordAccess,
} from '../domain/event-access';
import { type ConsumedEvent } from '../../read-models/application/live-projector';
import { appendChained, type ArchiveAppend } from './archive-chain';
import { ArchivedEventEntity } from './archived-event.entity';
import { archiveVisibility } from './event-visibility';
import { RecordAccessEntity } from './record-access.entity';

export const ARCHIVE_SORT_FIELDS = ['sequence', 'time'] as const;
export type ArchiveSortField = (typeof ARCHIVE_SORT_FIELDS)[number];

/** Where a page ended: the sort value of its last event, and its sequence to break ties. */
export interface ArchivePosition extends Record<string, string> {
  value: string;
  sequence: string;
}

export interface ArchiveFilters {
  subject?: string;
  type?: string;
  source?: string;
  topic?: string;
  /** Event time at or after. */
  from?: string;
  /** Event time before. */
  to?: string;
}

export interface ArchiveQuery {
  /** Only the events this caller may read (see event-visibility.ts). */
  reader: Caller;
  filters: ArchiveFilters;
  sort: SortOrder<ArchiveSortField>;
  limit: number;
  after?: ArchivePosition;
}

/** Each record's latest ownership; an older version (a replay, a late event) changes nothing. */
export async function keepRecordAccess(
  manager: EntityManager,
  records: readonly RecordAccess[],
): Promise<void> {
  // One row per record: PostgreSQL refuses to update a row twice in one statement.
  const latest = new Map<string, RecordAccess>();
  for (const record of records) {
    const known = latest.get(record.recordId);
    if (!known || known.version <= record.version) latest.set(record.recordId, record);
  }
  if (latest.size === 0) return;
  await manager.query(
    `INSERT INTO ${qualifiedTable(manager.connection.getMetadata(RecordAccessEntity))}
            (record_id, record_type, requester, assignment_group, assignee, restricted, owner_group, version)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS row(record_id text, record_type text,
            requester text, assignment_group text, assignee text, restricted boolean,
            owner_group text, version int)
     ON CONFLICT (record_id) DO UPDATE
        SET record_type = EXCLUDED.record_type, requester = EXCLUDED.requester,
            assignment_group = EXCLUDED.assignment_group, assignee = EXCLUDED.assignee,
            restricted = EXCLUDED.restricted, owner_group = EXCLUDED.owner_group,
            version = EXCLUDED.version
      WHERE record_access.version <= EXCLUDED.version`,
    [
      JSON.stringify(
        [...latest.values()].map((record) => ({
          record_id: record.recordId,
          record_type: record.recordType,
          requester: record.requester,
          assignment_group: record.assignmentGroup,
          assignee: record.assignee,
          restricted: record.restricted,
          owner_group: record.ownerGroup,
          version: record.version,
        })),
      ),
    ],
  );
}

@Injectable()
export class EventArchiveRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  /** Archives events in the order given (a partition's order), with the latest ownership of their records. */
  async append(manager: EntityManager, events: readonly ConsumedEvent[]): Promise<void> {
    const accesses: RecordAccess[] = [];
    const rows: ArchiveAppend[] = events.map(({ event, origin }) => {
      const family = familyOf(origin.topic, event.type);
      const governed = governedRecordsOf(family, event);
      const access = recordAccessOf(family, event);
      if (access) accesses.push(access);
      return {
        content: {
          eventId: event.id,
          topic: origin.topic,
          partition: origin.partition,
          offset: origin.offset,
          type: event.type,
          source: event.source,
          subject: event.subject,
          time: new Date(event.time).toISOString(),
          event,
        },
        access: { family, recordType: governed?.type ?? null, recordIds: governed?.ids ?? [] },
      };
    });
    await keepRecordAccess(manager, accesses);
    // Last: appends queue on the chain's head from here to the commit.
    await appendChained(manager, rows);
  }

  /** Keyset pagination: the page after `after` in the given order, sequence breaking ties. */
  async find(query: ArchiveQuery): Promise<ArchivedEventEntity[]> {
    const { filters, sort, after } = query;
    const visible = archiveVisibility(this.dataSource.manager, query.reader, this.policy);
    const builder = this.dataSource
      .getRepository(ArchivedEventEntity)
      .createQueryBuilder('archived')
      .where(visible.sql, visible.parameters);
    for (const field of ['subject', 'type', 'source', 'topic'] as const) {
      const value = filters[field];
      if (value !== undefined)
        builder.andWhere(`archived.${field} = :${field}`, { [field]: value });
    }
    if (filters.from) builder.andWhere('archived.time >= :from', { from: filters.from });
    if (filters.to) builder.andWhere('archived.time < :to', { to: filters.to });
    const comparison = sort.direction === 'ASC' ? '>' : '<';
    if (after && sort.field === 'sequence') {
      builder.andWhere(`archived.sequence ${comparison} :sequence`, { sequence: after.sequence });
    } else if (after) {
      builder.andWhere(
        `(archived.time, archived.sequence) ${comparison} (:value, :sequence)`,
        after,
      );
    }
    if (sort.field === 'time') builder.orderBy('archived.time', sort.direction);
    builder.addOrderBy('archived.sequence', sort.direction);
    return builder.limit(query.limit).getMany();
  }
}
