import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsBoolean,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PERIOD_KINDS } from '../domain/report-period';
import { MAX_RECIPIENTS, RECIPIENT_KINDS, REPORT_FORMATS } from '../domain/report-schedule';

export class ServiceReportQuery {
  @ApiPropertyOptional({
    description: 'The IANA time zone the period is read in.',
    default: 'UTC',
    example: 'Europe/Paris',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class WriteNotesDto {
  @ApiProperty({
    description: 'The notes of the service review, 1 to 10,000 characters; replaces earlier notes.',
  })
  @IsString()
  @MaxLength(10_000)
  text!: string;
}

export class AddActionDto {
  @ApiProperty({ description: 'What was agreed.', example: 'Add a second database replica' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description!: string;

  @ApiPropertyOptional({ description: 'Who carries it out (a username).', example: 'alice' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  owner?: string;

  @ApiPropertyOptional({ description: 'By when (a date).', example: '2026-12-31' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @MaxLength(10)
  dueDate?: string;
}

export class RecipientDto {
  @ApiProperty({ enum: RECIPIENT_KINDS })
  kind!: string;

  @ApiProperty({ description: 'A username or a group name.', example: 'service-desk' })
  name!: string;
}

/** A schedule's settings: `serviceId` and `periodKind` are required to create one; a change merges. */
export class ScheduleDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The business service (a CI id) the report is about. Required to create.',
  })
  @IsOptional()
  @IsString()
  serviceId?: string;

  @ApiPropertyOptional({ enum: PERIOD_KINDS, description: 'Required to create.' })
  @IsOptional()
  @IsString()
  periodKind?: string;

  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Paris' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ enum: Object.keys(REPORT_FORMATS), default: 'pdf' })
  @IsOptional()
  @IsString()
  format?: string;

  @ApiPropertyOptional({ type: [RecipientDto], maxItems: MAX_RECIPIENTS })
  @IsOptional()
  @IsArray()
  recipients?: unknown[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class RestateDto {
  @ApiPropertyOptional({ description: 'Why the period is restated (e.g. late events).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
