import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';
import { type SortOrder } from '@itsm/platform';
import { ArchivedEventEntity } from './archived-event.entity';

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
  filters: ArchiveFilters;
  sort: SortOrder<ArchiveSortField>;
  limit: number;
  after?: ArchivePosition;
}

@Injectable()
export class EventArchiveRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(
    manager: EntityManager,
    event: ItsmCloudEvent,
    origin: { topic: string; partition: number; offset: string },
  ): Promise<void> {
    await manager.insert(ArchivedEventEntity, {
      eventId: event.id,
      topic: origin.topic,
      partition: origin.partition,
      offset: origin.offset,
      type: event.type,
      source: event.source,
      subject: event.subject,
      time: new Date(event.time),
      event: event as ItsmCloudEvent<object>,
    });
  }

  /** Keyset pagination: the page after `after` in the given order, sequence breaking ties. */
  async find(query: ArchiveQuery): Promise<ArchivedEventEntity[]> {
    const { filters, sort, after } = query;
    const builder = this.dataSource
      .getRepository(ArchivedEventEntity)
      .createQueryBuilder('archived');
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
