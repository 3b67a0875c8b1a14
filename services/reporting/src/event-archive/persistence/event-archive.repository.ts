import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';
import { ArchivedEventEntity } from './archived-event.entity';

export interface ArchiveQuery {
  subject?: string;
  type?: string;
  limit: number;
  /** Only events archived after this sequence number. */
  after?: string;
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

  async find(query: ArchiveQuery): Promise<ArchivedEventEntity[]> {
    const builder = this.dataSource
      .getRepository(ArchivedEventEntity)
      .createQueryBuilder('archived')
      .orderBy('archived.sequence', 'ASC')
      .limit(query.limit);
    if (query.subject) builder.andWhere('archived.subject = :subject', { subject: query.subject });
    if (query.type) builder.andWhere('archived.type = :type', { type: query.type });
    if (query.after) builder.andWhere('archived.sequence > :after', { after: query.after });
    return builder.getMany();
  }
}
