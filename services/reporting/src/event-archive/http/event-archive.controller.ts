import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsInt, IsNumberString, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { RequirePermission } from '@itsm/auth';
import { type ItsmCloudEvent } from '@itsm/contracts';
import { ApiProblemResponses } from '@itsm/platform';
import { EventArchiveRepository } from '../persistence/event-archive.repository';
import { EventArchivePageResponse } from './event-archive.response';

class EventArchiveQuery {
  @ApiPropertyOptional({ maxLength: 200, description: 'Only events about this record (its id).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Only events of this type.',
    example: 'itsm.incident.created.v1',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  type?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  /** The cursor: the archive sequence of the last event of the previous page. */
  @ApiPropertyOptional({
    pattern: '^[0-9]+$',
    description: 'The `nextCursor` of the previous page.',
  })
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

@ApiTags('reports')
@Controller('api/v1/reports/event-archive')
@RequirePermission('report:read')
export class EventArchiveController {
  constructor(private readonly archive: EventArchiveRepository) {}

  @Get()
  @ApiOperation({
    summary: 'Read the event archive',
    description:
      'Every domain event the platform published, in archive order, optionally about one record or of one type. Paged with `limit` and `cursor`.',
  })
  @ApiResponse({ status: 200, description: 'One page of events.', type: EventArchivePageResponse })
  @ApiProblemResponses(400)
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
