import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PRIORITIES, PROBLEM_SOURCES } from '@itsm/contracts';
import { CommaList, PageQuery } from '@itsm/platform';

/** The filters of the problem list; every one given narrows it. */
export class ListProblemsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'States, comma-separated.', example: 'new,assess' })
  @IsOptional()
  @CommaList()
  @IsString({ each: true })
  state?: string[];

  @ApiPropertyOptional({ description: `Sources, comma-separated (${PROBLEM_SOURCES.join(', ')}).` })
  @IsOptional()
  @CommaList()
  @IsIn(PROBLEM_SOURCES, { each: true })
  source?: string[];

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
  @MaxLength(100)
  assignee?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A configuration item among the affected ones.',
  })
  @IsOptional()
  @IsUUID()
  ciId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The business service.' })
  @IsOptional()
  @IsUUID()
  businessServiceId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The problem this incident is linked to.' })
  @IsOptional()
  @IsUUID()
  incidentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Problems this change fixes.' })
  @IsOptional()
  @IsUUID()
  changeId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Opened at or after.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  openedFrom?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Opened before.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  openedTo?: Date;

  @ApiPropertyOptional({
    description:
      'Full-text search over number, title, description, cause and fix notes, workaround and journal (web search syntax).',
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
