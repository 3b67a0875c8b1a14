import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CHANGE_CLOSE_CODES, CHANGE_STATES, type ChangeCloseCode } from '@itsm/contracts';
import { Instant } from '@itsm/platform';
import { GATE_DECISIONS } from '../domain/gate';

export class DeploymentReportDto {
  @ApiProperty({ enum: ['started', 'finished'] })
  @IsIn(['started', 'finished'])
  status!: 'started' | 'finished';

  @ApiPropertyOptional({
    enum: CHANGE_CLOSE_CODES,
    description: 'How the deployment went: required when finished; it becomes the close code.',
  })
  @IsOptional()
  @IsIn(CHANGE_CLOSE_CODES)
  outcome?: ChangeCloseCode;

  @Instant('When it started or finished (default now): the actual start or end.')
  at?: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Kept as the close notes when finished.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class GateResponse {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty() number!: string;
  @ApiProperty({ enum: CHANGE_STATES }) state!: string;
  @ApiProperty({ enum: GATE_DECISIONS }) decision!: string;
  @ApiProperty({ type: [String], description: 'Why, in sentences a pipeline log shows.' })
  reasons!: string[];
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
}
