import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { type ItsmCloudEvent } from '@itsm/contracts';
import {
  ApiProblemResponses,
  CsvExport,
  PageQuery,
  UtcInstant,
  decodeCursor,
  pageOf,
  parseSort,
  type Page,
} from '@itsm/platform';
import {
  ARCHIVE_SORT_FIELDS,
  EventArchiveRepository,
} from '../persistence/event-archive.repository';
import { EventArchivePageResponse } from './event-archive.response';

class EventArchiveQuery extends PageQuery {
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

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Only events from this source.',
    example: '/itsm/incident',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Only events of this topic.',
    example: 'itsm.incident.events.v1',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  topic?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only events that happened at or after this time.',
  })
  @IsOptional()
  @UtcInstant()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only events that happened before this time.',
  })
  @IsOptional()
  @UtcInstant()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    enum: ['sequence', '-sequence', 'time', '-time'],
    default: 'sequence',
    description:
      'Archive order (`sequence`) or event time (`time`); a leading `-` sorts descending.',
  })
  @IsOptional()
  @IsString()
  sort?: string;
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
  @CsvExport<ArchivedEventView>({
    name: 'event-archive',
    columns: [
      'sequence',
      'topic',
      'partition',
      'offset',
      'archivedAt',
      ...(['id', 'type', 'source', 'subject', 'time', 'correlationid', 'data'] as const).map(
        (field) => ({ header: field, value: (view: ArchivedEventView) => view.event[field] }),
      ),
    ],
  })
  @ApiOperation({
    summary: 'Read the event archive',
    description:
      "Every domain event the platform published that you may read, in archive order, optionally about one record or of one type. Paged with `limit` and `cursor`. An event needs the read permission of its record family (an incident's `incident:read`, a request's `request:read`, an SLA timer's `sla:read`, a CI's `cmdb:read`...) and, for incidents, requests and their SLA timers, that you may see the record as it is now; a restricted CI's events only its owner group and those who see every record read.",
  })
  @ApiResponse({ status: 200, description: 'One page of events.', type: EventArchivePageResponse })
  @ApiProblemResponses(400)
  async list(
    @Query() query: EventArchiveQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<ArchivedEventView>> {
    const sort = parseSort(query.sort, ARCHIVE_SORT_FIELDS, {
      field: 'sequence',
      direction: 'ASC',
    });
    const rows = await this.archive.find({
      reader: caller,
      filters: {
        subject: query.subject,
        type: query.type,
        source: query.source,
        topic: query.topic,
        from: query.from,
        to: query.to,
      },
      sort,
      limit: query.limit + 1,
      after: query.cursor
        ? decodeCursor(query.cursor, {
            value: sort.field === 'time' ? 'instant' : 'integer',
            sequence: 'integer',
          })
        : undefined,
    });
    return pageOf(
      rows,
      query.limit,
      (row) => ({
        sequence: row.sequence,
        topic: row.topic,
        partition: row.partition,
        offset: row.offset,
        archivedAt: row.archivedAt.toISOString(),
        event: row.event,
      }),
      (row) => ({
        value: sort.field === 'time' ? row.time.toISOString() : row.sequence,
        sequence: row.sequence,
      }),
    );
  }
}
