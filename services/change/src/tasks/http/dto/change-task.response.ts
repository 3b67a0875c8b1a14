import { ApiProperty } from '@nestjs/swagger';
import { CHANGE_TASK_STATES, CHANGE_TASK_TYPES } from '@itsm/contracts';

const nullableText = { type: 'string', nullable: true } as const;
const nullableTime = { type: 'string', format: 'date-time', nullable: true } as const;

/** A change task as the API answers it (and its events carry it). Documentation only. */
export class ChangeTaskResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ pattern: '^CTASK[0-9]{7}$', example: 'CTASK0000001' }) number!: string;
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty({ enum: CHANGE_TASK_TYPES }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: CHANGE_TASK_STATES }) state!: string;
  @ApiProperty(nullableText) assignmentGroup!: string | null;
  @ApiProperty(nullableText) assignee!: string | null;
  @ApiProperty(nullableTime) plannedStart!: string | null;
  @ApiProperty(nullableTime) plannedEnd!: string | null;
  @ApiProperty(nullableText) closeNotes!: string | null;
  @ApiProperty() openedBy!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty(nullableTime) closedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
}

export class ChangeTaskPageResponse {
  @ApiProperty({ type: [ChangeTaskResponse] }) items!: ChangeTaskResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}
