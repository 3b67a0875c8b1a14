import { ApiProperty } from '@nestjs/swagger';
import { SLA_TIMER_STATES } from '@itsm/contracts';

export class SlaTimerResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The incident or request measured.' })
  recordId!: string;
  @ApiProperty({ enum: ['incident', 'request'] }) recordType!: string;
  @ApiProperty({ example: 'INC0001001' }) recordNumber!: string;
  @ApiProperty({ format: 'uuid' }) slaId!: string;
  @ApiProperty({ type: 'integer', description: 'The definition version the timer runs on.' })
  slaVersion!: number;
  @ApiProperty() slaName!: string;
  @ApiProperty({ enum: ['sla', 'ola'] }) kind!: string;
  @ApiProperty({ enum: ['response', 'resolution'] }) target!: string;
  @ApiProperty({ enum: SLA_TIMER_STATES }) state!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Null while paused.',
  })
  dueAt!: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'Working time used, as of the read for a running timer.',
  })
  elapsedMs!: number;
  @ApiProperty({ type: 'integer' }) durationMs!: number;
  @ApiProperty({ description: 'elapsedMs / durationMs in percent (may pass 100).' })
  percentUsed!: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) breachedAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) stoppedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) pauseReason!: string | null;
  @ApiProperty({ format: 'uuid' }) calendarId!: string;
  @ApiProperty({ type: [Number] }) warningThresholds!: number[];
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) businessServiceId!:
    string | null;
  @ApiProperty({ type: 'string', nullable: true }) assignmentGroup!: string | null;
}

export class SlaTimerPageResponse {
  @ApiProperty({ type: [SlaTimerResponse] }) items!: SlaTimerResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}
