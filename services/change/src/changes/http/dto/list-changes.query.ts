import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CHANGE_MODELS, CHANGE_RISKS, CHANGE_STATES } from '@itsm/contracts';
import { BooleanQuery, CommaList, PageQuery } from '@itsm/platform';

/** The filters of the change list; every one given narrows it. */
export class ListChangesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'States, comma-separated.', example: 'authorize,scheduled' })
  @IsOptional()
  @CommaList()
  @IsIn(CHANGE_STATES, { each: true })
  state?: string[];

  @ApiPropertyOptional({ description: `Models, comma-separated (${CHANGE_MODELS.join(', ')}).` })
  @IsOptional()
  @CommaList()
  @IsIn(CHANGE_MODELS, { each: true })
  model?: string[];

  @ApiPropertyOptional({ description: `Risks, comma-separated (${CHANGE_RISKS.join(', ')}).` })
  @IsOptional()
  @CommaList()
  @IsIn(CHANGE_RISKS, { each: true })
  risk?: string[];

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

  @ApiPropertyOptional({ format: 'uuid', description: 'A configuration item the change affects.' })
  @IsOptional()
  @IsUUID()
  ciId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A business service the change affects.' })
  @IsOptional()
  @IsUUID()
  businessServiceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Changes that fix this problem.' })
  @IsOptional()
  @IsUUID()
  problemId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Changes linked to this incident (that fix it or caused it).',
  })
  @IsOptional()
  @IsUUID()
  incidentId?: string;

  @ApiPropertyOptional({ type: 'boolean', description: 'Held by a freeze.' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  onHold?: boolean;

  @ApiPropertyOptional({ type: 'boolean', description: 'Found unauthorised by the CMDB.' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  unauthorized?: boolean;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Planned window overlapping [from, to): ends after this instant.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Planned window starting before this instant.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({
    description:
      'Full-text search over title, description, justification and implementation plan (web search syntax).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;

  @ApiPropertyOptional({
    description:
      'openedAt, updatedAt, plannedStart or number; a leading - sorts descending. Default -openedAt.',
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
