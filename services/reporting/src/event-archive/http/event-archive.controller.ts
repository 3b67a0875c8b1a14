import { Controller, Get, Query } from '@nestjs/common';
import { IsInt, IsNumberString, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { type ItsmCloudEvent } from '@itsm/contracts';
import { EventArchiveRepository } from '../persistence/event-archive.repository';

class EventArchiveQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  type?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  /** The cursor: the archive sequence of the last event of the previous page. */
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  cursor?: string;
}

interface ArchivedEventView {
  sequence: string;
  topic: string;
  partition: number;
  offset: string;
  archivedAt: string;
  event: ItsmCloudEvent;
}

@Controller('api/v1/reports/event-archive')
export class EventArchiveController {
  constructor(private readonly archive: EventArchiveRepository) {}

  @Get()
  async list(
    @Query() query: EventArchiveQuery,
  ): Promise<{ items: ArchivedEventView[]; nextCursor: string | null }> {
    const rows = await this.archive.find({
      subject: query.subject,
      type: query.type,
      limit: query.limit,
      after: query.cursor,
    });
    const items = rows.map((row) => ({
      sequence: row.sequence,
      topic: row.topic,
      partition: row.partition,
      offset: row.offset,
      archivedAt: row.archivedAt.toISOString(),
      event: row.event,
    }));
    const last = items.at(-1);
    return { items, nextCursor: items.length === query.limit && last ? last.sequence : null };
  }
}
