import { ApiProperty } from '@nestjs/swagger';
import { CHANGE_MODELS, CHANGE_RISKS } from '@itsm/contracts';
import { ChangeApprovalsResponse } from '../../../approvals/http/dto/approval.dto';

const nullableText = { type: 'string', nullable: true } as const;
const nullableInstant = { type: 'string', format: 'date-time', nullable: true } as const;

/** A recurring CAB meeting as the API answers it (and as its events carry it). Documentation only. */
export class CabMeetingResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'FREQ=WEEKLY;BYDAY=TU' }) recurrence!: string;
  @ApiProperty({ example: '2026-03-03T14:00' }) firstStart!: string;
  @ApiProperty({ example: 'Europe/Paris' }) timeZone!: string;
  @ApiProperty({ type: 'integer' }) durationMinutes!: number;
  @ApiProperty() approverGroup!: string;
  @ApiProperty({ type: 'integer' }) agendaLookAheadDays!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty(nullableInstant) retiredAt!: string | null;
  @ApiProperty(nullableText) retiredBy!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The ETag.' }) version!: number;
}

export class CabMeetingPageResponse {
  @ApiProperty({ type: [CabMeetingResponse] }) items!: CabMeetingResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class CabOccurrenceResponse {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'The agenda lists changes planned to start before this instant.',
  })
  agendaUntil!: string;
}

export class CabOccurrenceListResponse {
  @ApiProperty({ type: [CabOccurrenceResponse] }) items!: CabOccurrenceResponse[];
}

class AgendaItemResponse {
  @ApiProperty({ type: 'integer', minimum: 1 }) position!: number;
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty({ example: 'CHG0000042' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CHANGE_MODELS }) model!: string;
  @ApiProperty({ enum: CHANGE_RISKS }) risk!: string;
  @ApiProperty(nullableInstant) plannedStart!: string | null;
  @ApiProperty({ description: 'Planned to start before the meeting and still not authorised.' })
  overdue!: boolean;
  @ApiProperty({ description: 'An emergency change that went ahead: authorised after the fact.' })
  retrospective!: boolean;
}

export class CabDecisionResponse {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty() number!: string;
  @ApiProperty({ type: 'integer' }) approvalRound!: number;
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: string;
  @ApiProperty(nullableText) comment!: string | null;
  @ApiProperty() recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

class CabMeetingRefResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() approverGroup!: string;
}

export class CabAgendaResponse extends CabOccurrenceResponse {
  @ApiProperty({ type: CabMeetingRefResponse }) meeting!: CabMeetingRefResponse;
  @ApiProperty({
    type: [AgendaItemResponse],
    description:
      'What the meeting still has to decide, in the order to take it: planned start, then risk (highest first), then number; no planned start last.',
  })
  items!: AgendaItemResponse[];
  @ApiProperty({
    type: [CabDecisionResponse],
    description: 'The minutes: what the meeting decided, in order.',
  })
  decisions!: CabDecisionResponse[];
}

export class RecordedCabDecisionResponse {
  @ApiProperty({ type: CabDecisionResponse }) decision!: CabDecisionResponse;
  @ApiProperty({ type: ChangeApprovalsResponse }) approvals!: ChangeApprovalsResponse;
}
