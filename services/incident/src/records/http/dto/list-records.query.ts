import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { RECORD_SOURCES, PRIORITIES } from '@itsm/contracts';
import { BooleanQuery, PageQuery, CommaList } from '@itsm/platform';

/** The filters of the incident and request lists; every one given narrows the list. */
export class ListRecordsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'States of the record type, comma-separated; another value is a 400.',
    example: 'new,in_progress',
  })
  @IsOptional()
  @CommaList()
  @IsString({ each: true })
  state?: string[];

  @ApiPropertyOptional({ description: 'Priorities, comma-separated.', example: 'P1,P2' })
  @IsOptional()
  @CommaList()
  @IsIn(PRIORITIES, { each: true })
  priority?: string[];

  @ApiPropertyOptional({ description: 'Assignment groups, comma-separated.' })
  @IsOptional()
  @CommaList()
  @IsString({ each: true })
  assignmentGroup?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  assignee?: string;

  @ApiPropertyOptional({
    description: 'true: only records nobody is assigned to; false: only assigned ones.',
  })
  @IsOptional()
  @BooleanQuery()
  @IsIn([true, false])
  unassigned?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  requester?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The business service.' })
  @IsOptional()
  @IsUUID()
  businessServiceId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A configuration item among the affected ones.',
  })
  @IsOptional()
  @IsUUID()
  ciId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  category?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  subcategory?: string;

  @ApiPropertyOptional({ description: 'Service requests: the catalog item.' })
  @IsOptional()
  @IsString()
  catalogItem?: string;

  @ApiPropertyOptional({ enum: RECORD_SOURCES })
  @IsOptional()
  @IsIn(RECORD_SOURCES)
  source?: string;

  @ApiPropertyOptional({ description: 'Incidents: major (true) or not (false).' })
  @IsOptional()
  @BooleanQuery()
  @IsIn([true, false])
  major?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Incidents: children of this major incident.',
  })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Incidents: those linked to this problem.',
  })
  @IsOptional()
  @IsUUID()
  problemId?: string;

  @ApiPropertyOptional({ description: 'External reference, e.g. alertmanager:<fingerprint>.' })
  @IsOptional()
  @IsString()
  externalRef?: string;

  @ApiPropertyOptional({ description: 'Tags, comma-separated; records carrying all of them.' })
  @IsOptional()
  @CommaList()
  @IsString({ each: true })
  tag?: string[];

  @ApiPropertyOptional({ type: 'integer', description: 'Escalated at least this far (0..2).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2)
  escalationLevel?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Opened (created) at or after.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  openedFrom?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Opened (created) before.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  openedTo?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Last changed at or after.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  updatedFrom?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Last changed before.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  updatedTo?: Date;

  @ApiPropertyOptional({
    description:
      'Full-text search over title, description and journal (web search syntax: words, "phrases", -not, or); work notes only for those who may read them.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;

  @ApiPropertyOptional({
    description:
      'openedAt, updatedAt, priority (oldest first within a priority) or number; a leading - sorts descending. Default -openedAt.',
  })
  @IsOptional()
  @IsString()
  sort?: string;
}

export class JournalQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['work_note', 'comment'] })
  @IsOptional()
  @IsIn(['work_note', 'comment'])
  kind?: 'work_note' | 'comment';
}
