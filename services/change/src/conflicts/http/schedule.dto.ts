import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CHANGE_MODELS, CHANGE_RISKS, CHANGE_STATES, CHANGE_WINDOW_KINDS } from '@itsm/contracts';
import { CONFLICT_KINDS } from '../domain/change-conflicts';
import { MAX_SLOT_HORIZON_DAYS } from '../domain/next-free-slot';

export class ScheduleQuery {
  @ApiProperty({ format: 'date-time', description: 'From this instant (inclusive).' })
  @Type(() => Date)
  @IsDate()
  from!: Date;

  @ApiProperty({
    format: 'date-time',
    description: 'To this instant (exclusive), at most 400 days after from.',
  })
  @Type(() => Date)
  @IsDate()
  to!: Date;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only changes on this CI.' })
  @IsOptional()
  @IsUUID()
  ciId?: string;
}

export class NextFreeSlotQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'The slot starts at or after this (default now).',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  after?: Date;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_SLOT_HORIZON_DAYS, default: 90 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SLOT_HORIZON_DAYS)
  horizonDays?: number;
}

class IntervalResponse {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
}

class ScheduledChangeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() number!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CHANGE_STATES }) state!: string;
  @ApiProperty({ enum: CHANGE_MODELS }) model!: string;
  @ApiProperty({ enum: CHANGE_RISKS }) risk!: string;
  @ApiProperty({ format: 'date-time' }) plannedStart!: string;
  @ApiProperty({ format: 'date-time' }) plannedEnd!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) ciIds!: string[];
  @ApiProperty({ type: 'string', nullable: true }) assignmentGroup!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) assignee!: string | null;
  @ApiProperty() onHold!: boolean;
}

class ScheduledWindowResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CHANGE_WINDOW_KINDS }) kind!: string;
  @ApiProperty({
    type: 'object',
    properties: {
      ciIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
      businessServiceIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
      ciClasses: { type: 'array', items: { type: 'string' } },
    },
    description: 'Empty lists: the whole estate.',
  })
  scope!: object;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'A freeze in force: since when.',
  })
  inForceSince!: string | null;
  @ApiProperty({ type: [IntervalResponse] }) occurrences!: IntervalResponse[];
}

export class ScheduleResponse {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({
    type: [ScheduledChangeResponse],
    description: 'Open changes planned in the range, by planned start.',
  })
  changes!: ScheduledChangeResponse[];
  @ApiProperty({ type: [ScheduledWindowResponse] }) windows!: ScheduledWindowResponse[];
}

class ConflictResponse {
  @ApiProperty({ enum: CONFLICT_KINDS }) kind!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) ciId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) otherChangeId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) windowId!: string | null;
  @ApiProperty({ description: 'A blackout or freeze refusing the change where it is planned.' })
  refused!: boolean;
}

export class ConflictsResponse {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty({ type: [ConflictResponse] }) conflicts!: ConflictResponse[];
  @ApiProperty({ description: 'Any conflict refuses the change where it is planned.' })
  refused!: boolean;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'Why dependent CIs could not be checked (the CMDB did not answer); null when they were.',
  })
  dependencyCheckDegraded!: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'Why windows scoped by CI class could not be applied (the CMDB did not answer for the classes of its CIs); null when they were, or when no such window is in play.',
  })
  classCheckDegraded!: string | null;
  @ApiProperty({ format: 'date-time' }) checkedAt!: string;
}

export class NextFreeSlotResponse {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty({
    type: IntervalResponse,
    nullable: true,
    description: 'null: none within the horizon.',
  })
  slot!: IntervalResponse | null;
  @ApiProperty({ type: 'string', nullable: true }) dependencyCheckDegraded!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) classCheckDegraded!: string | null;
}
