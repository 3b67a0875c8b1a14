import { ApiProperty } from '@nestjs/swagger';
import {
  PRIORITIES,
  PROBLEM_RESOLUTION_CODES,
  PROBLEM_SOURCES,
  PROBLEM_STATES,
  PROBLEM_TASK_STATES,
  PROBLEM_TASK_TYPES,
} from '@itsm/contracts';

const nullableText = { type: 'string', nullable: true } as const;
const nullableTime = { type: 'string', format: 'date-time', nullable: true } as const;
const nullableUuid = { type: 'string', format: 'uuid', nullable: true } as const;

/** A problem as the API answers it. Documentation only. */
export class ProblemResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ pattern: '^PRB[0-9]{7}$', example: 'PRB0000001' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty(nullableText) category!: string | null;
  @ApiProperty(nullableText) subcategory!: string | null;
  @ApiProperty(nullableUuid) businessServiceId!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) ciIds!: string[];
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3 }) impact!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3 }) urgency!: number;
  @ApiProperty({ enum: PRIORITIES, description: 'From the matrix unless overridden.' })
  priority!: string;
  @ApiProperty(nullableText) priorityOverrideReason!: string | null;
  @ApiProperty({ enum: PROBLEM_STATES }) state!: string;
  @ApiProperty({ enum: PROBLEM_SOURCES }) source!: string;
  @ApiProperty({
    ...nullableText,
    description: 'A candidate: the rule and incidents that opened it.',
  })
  candidateReason!: string | null;
  @ApiProperty(nullableText) assignmentGroup!: string | null;
  @ApiProperty(nullableText) assignee!: string | null;
  @ApiProperty() openedBy!: string;
  @ApiProperty(nullableText) causeNotes!: string | null;
  @ApiProperty(nullableText) fixNotes!: string | null;
  @ApiProperty(nullableText) workaround!: string | null;
  @ApiProperty({ enum: PROBLEM_RESOLUTION_CODES, nullable: true }) resolutionCode!: string | null;
  @ApiProperty(nullableText) resolutionNotes!: string | null;
  @ApiProperty(nullableUuid) duplicateOfId!: string | null;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Changes that fix it.' })
  changeIds!: string[];
  @ApiProperty({ type: 'integer', minimum: 0 }) incidentCount!: number;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty(nullableTime) confirmedAt!: string | null;
  @ApiProperty(nullableText) confirmedBy!: string | null;
  @ApiProperty(nullableTime) rootCauseIdentifiedAt!: string | null;
  @ApiProperty(nullableText) rootCauseIdentifiedBy!: string | null;
  @ApiProperty(nullableTime) resolvedAt!: string | null;
  @ApiProperty(nullableText) resolvedBy!: string | null;
  @ApiProperty(nullableTime) closedAt!: string | null;
  @ApiProperty(nullableText) closedBy!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) reanalysisCount!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The ETag.' }) version!: number;
}

export class ProblemPageResponse {
  @ApiProperty({ type: [ProblemResponse] }) items!: ProblemResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class IncidentLinkResponse {
  @ApiProperty({ type: ProblemResponse }) problem!: ProblemResponse;
  @ApiProperty({ type: [String], format: 'uuid' }) linked!: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) alreadyLinked!: string[];
}

export class LinkedIncidentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() number!: string;
  @ApiProperty() title!: string;
  @ApiProperty() state!: string;
  @ApiProperty() linkedBy!: string;
  @ApiProperty({ format: 'date-time' }) linkedAt!: string;
}

export class LinkedIncidentPageResponse {
  @ApiProperty({ type: [LinkedIncidentResponse] }) items!: LinkedIncidentResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class CommunicationResponse {
  @ApiProperty({ enum: ['workaround', 'fix'] }) kind!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) openIncidentCount!: number;
}

export class ProblemTaskResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ pattern: '^PTASK[0-9]{7}$' }) number!: string;
  @ApiProperty({ format: 'uuid' }) problemId!: string;
  @ApiProperty({ enum: PROBLEM_TASK_TYPES }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: PROBLEM_TASK_STATES }) state!: string;
  @ApiProperty(nullableText) assignmentGroup!: string | null;
  @ApiProperty(nullableText) assignee!: string | null;
  @ApiProperty(nullableText) closeNotes!: string | null;
  @ApiProperty() openedBy!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty(nullableTime) closedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
}

export class ProblemTaskPageResponse {
  @ApiProperty({ type: [ProblemTaskResponse] }) items!: ProblemTaskResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

const PROBLEM_TRANSITION_FIELDS = [
  'reason',
  'assignmentGroup',
  'assignee',
  'causeNotes',
  'fixNotes',
  'workaround',
  'resolutionCode',
  'resolutionNotes',
  'duplicateOfId',
];

export class OpenProblemTransitionResponse {
  @ApiProperty({
    enum: PROBLEM_STATES,
    description: 'The state the problem may move to.',
    example: 'assess',
  })
  to!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: PROBLEM_TRANSITION_FIELDS },
    description: 'Fields the transition body must carry.',
  })
  requires!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: PROBLEM_TRANSITION_FIELDS },
    description: 'Fields it may carry besides those.',
  })
  accepts!: string[];
}

export class OpenProblemTransitionsResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROBLEM_STATES, description: "The problem's state." }) state!: string;
  @ApiProperty({
    type: [OpenProblemTransitionResponse],
    description: 'The steps open from there to the caller; empty when none is.',
  })
  transitions!: OpenProblemTransitionResponse[];
}
