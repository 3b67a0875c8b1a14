import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  PRIORITIES,
  RECORD_STATES,
  RECORD_TYPES,
  SLA_KINDS,
  SLA_TARGETS,
} from '../../domain/sla-definition';

function stateList(description: string): PropertyDecorator {
  const decorators = [
    ApiProperty({ type: [String], enum: RECORD_STATES, description }),
    IsArray(),
    ArrayMaxSize(20),
    IsIn(RECORD_STATES, { each: true }),
  ];
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class AppliesToDto {
  @ApiPropertyOptional({ enum: RECORD_TYPES, default: 'incident' })
  @IsOptional()
  @IsIn(RECORD_TYPES)
  recordType?: (typeof RECORD_TYPES)[number];

  @ApiPropertyOptional({
    type: [String],
    enum: PRIORITIES,
    description: 'The priorities it applies to; empty or absent: every priority.',
  })
  @IsOptional()
  @IsArray()
  @IsIn(PRIORITIES, { each: true })
  priorities?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'Only records of this business service (CI id).',
  })
  @IsOptional()
  @IsUUID()
  businessServiceId?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  category?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    maxLength: 200,
    description: 'Only records assigned to this group (what an OLA is agreed with).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  assignmentGroup?: string | null;
}

export class StartConditionDto {
  @stateList('The timer starts the first time the record is in one of these states.')
  states!: string[];
}

export class StopConditionDto {
  @stateList('The target is met when the record enters one of these states.')
  states!: string[];

  @ApiPropertyOptional({
    description: 'Met as well once the record has a first response (`firstResponseAt`).',
  })
  @IsOptional()
  @IsBoolean()
  onFirstResponse?: boolean;
}

export class CancelConditionDto {
  @stateList('The timer is cancelled when the record enters one of these states.')
  states!: string[];
}

export class CreateSlaDefinitionDto {
  @ApiProperty({ example: 'P1 resolution', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({
    enum: SLA_KINDS,
    default: 'sla',
    description: '`ola` for an agreement with a resolver group.',
  })
  @IsOptional()
  @IsIn(SLA_KINDS)
  kind?: (typeof SLA_KINDS)[number];

  @ApiProperty({ enum: SLA_TARGETS })
  @IsIn(SLA_TARGETS)
  target!: (typeof SLA_TARGETS)[number];

  @ApiPropertyOptional({ type: AppliesToDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AppliesToDto)
  appliesTo?: AppliesToDto;

  @ApiProperty({
    example: 'PT4H',
    description: 'ISO 8601 duration of working time, at most a year; no months or years.',
  })
  @IsString()
  @MaxLength(50)
  duration!: string;

  @ApiPropertyOptional({ description: 'A calendar id or `24x7` (the default).', default: '24x7' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  calendarId?: string;

  @ApiPropertyOptional({ type: [String], enum: RECORD_STATES, default: ['on_hold'] })
  @IsOptional()
  @IsArray()
  @IsIn(RECORD_STATES, { each: true })
  pauseStates?: string[];

  @ApiPropertyOptional({
    type: [Number],
    default: [50, 75, 90],
    description: 'Percentages of the target (whole numbers 1–99) at which a warning is announced.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(99, { each: true })
  warningThresholds?: number[];

  @ApiPropertyOptional({
    type: StartConditionDto,
    description: 'Default: every open state, i.e. at creation.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StartConditionDto)
  startCondition?: StartConditionDto;

  @ApiPropertyOptional({
    type: StopConditionDto,
    description:
      'Default for response: the first move out of `new`/`submitted` or the first response; for resolution: `resolved`, `closed`, `fulfilled`.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StopConditionDto)
  stopCondition?: StopConditionDto;

  @ApiPropertyOptional({
    type: CancelConditionDto,
    description: 'Default: `cancelled`, `rejected`.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CancelConditionDto)
  cancelCondition?: CancelConditionDto;
}

export class UpdateSlaDefinitionDto extends PartialType(CreateSlaDefinitionDto) {
  @ApiPropertyOptional({ description: 'False retires the definition: it starts no new timers.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

class AppliesToResponse {
  @ApiProperty({ enum: RECORD_TYPES }) recordType!: string;
  @ApiProperty({ type: [String] }) priorities!: string[];
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) businessServiceId!:
    string | null;
  @ApiProperty({ type: 'string', nullable: true }) category!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) assignmentGroup!: string | null;
}

export class SlaDefinitionResponse extends OmitType(CreateSlaDefinitionDto, [
  'appliesTo',
] as const) {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Each change makes a new version.' })
  version!: number;
  @ApiProperty({ type: AppliesToResponse }) appliesTo!: AppliesToResponse;
  @ApiProperty({ type: 'integer' }) durationMs!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) supersededAt!:
    string | null;
}

export class SlaDefinitionPageResponse {
  @ApiProperty({ type: [SlaDefinitionResponse] }) items!: SlaDefinitionResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

/** Every version of one definition, oldest first: the whole history, never paged. */
export class SlaDefinitionVersionsResponse {
  @ApiProperty({ type: [SlaDefinitionResponse] }) items!: SlaDefinitionResponse[];
}
