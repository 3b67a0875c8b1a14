import { ApiProperty } from '@nestjs/swagger';
import {
  HOLD_REASONS,
  INCIDENT_STATES,
  RECORD_SOURCES,
  REQUEST_STATES,
  PRIORITIES,
} from '@itsm/contracts';

const nullableText = { type: 'string', nullable: true } as const;
const nullableTime = { type: 'string', format: 'date-time', nullable: true } as const;

/** An incident or a service request as the API answers it. Documentation only. */
export class RecordResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ pattern: '^(INC|REQ)[0-9]{7}$', example: 'INC0001001' }) number!: string;
  @ApiProperty({ enum: ['incident', 'request'] }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Who reported or asked.' }) requester!: string;
  @ApiProperty({ enum: RECORD_SOURCES }) source!: string;
  @ApiProperty(nullableText) category!: string | null;
  @ApiProperty(nullableText) subcategory!: string | null;
  @ApiProperty({ ...nullableText, description: 'Requests: the catalog item.' }) catalogItem!:
    string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) businessServiceId!:
    string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) ciIds!: string[];
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3 }) impact!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3 }) urgency!: number;
  @ApiProperty({ enum: PRIORITIES, description: 'From the matrix unless overridden.' })
  priority!: string;
  @ApiProperty({ ...nullableText, description: 'Set when the priority was chosen by hand.' })
  priorityOverrideReason!: string | null;
  @ApiProperty({ enum: [...new Set([...INCIDENT_STATES, ...REQUEST_STATES])] }) state!: string;
  @ApiProperty({ enum: HOLD_REASONS, nullable: true }) holdReason!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) awaitingChangeId!: string | null;
  @ApiProperty(nullableText) assignmentGroup!: string | null;
  @ApiProperty(nullableText) assignee!: string | null;
  @ApiProperty() major!: boolean;
  @ApiProperty({ description: 'A P1 incident not declared major: a candidate.' })
  majorCandidate!: boolean;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) parentId!: string | null;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description:
      'Incidents: the problem the incident is linked to; set by the problem service, read-only here.',
  })
  problemId!: string | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 2,
    description: '1 after an SLA warning, 2 after a breach.',
  })
  escalationLevel!: number;
  @ApiProperty(nullableText) resolutionCode!: string | null;
  @ApiProperty(nullableText) resolutionNotes!: string | null;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty(nullableTime) firstResponseAt!: string | null;
  @ApiProperty(nullableTime) resolvedAt!: string | null;
  @ApiProperty(nullableTime) closedAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) reopenCount!: number;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty(nullableText) externalRef!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Increases with every change; the ETag.',
  })
  version!: number;
}

export class RecordPageResponse {
  @ApiProperty({ type: [RecordResponse] }) items!: RecordResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

const TRANSITION_FIELD_NAMES = [
  'assignmentGroup',
  'assignee',
  'holdReason',
  'awaitingChangeId',
  'resolutionCode',
  'resolutionNotes',
  'resolveChildren',
  'reason',
];

export class OpenTransitionResponse {
  @ApiProperty({ description: 'The state the record may move to.', example: 'in_progress' })
  to!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: TRANSITION_FIELD_NAMES },
    description: 'Fields the transition body must carry.',
  })
  requires!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: TRANSITION_FIELD_NAMES },
    description: 'Fields it may carry besides those.',
  })
  accepts!: string[];
}

export class OpenTransitionsResponse {
  @ApiProperty({ description: "The record's state.", example: 'new' })
  state!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    type: [OpenTransitionResponse],
    description: 'The moves the state machine allows from there; empty when final.',
  })
  transitions!: OpenTransitionResponse[];
}
