import { ApiProperty } from '@nestjs/swagger';
import {
  CHANGE_APPROVAL_STATES,
  CHANGE_CLOSE_CODES,
  CHANGE_MODELS,
  CHANGE_RISK_SOURCES,
  CHANGE_RISKS,
  CHANGE_STATES,
} from '@itsm/contracts';
import { ExternalRefDto } from './change.dto';

const nullableText = { type: 'string', nullable: true } as const;
const nullableTime = { type: 'string', format: 'date-time', nullable: true } as const;
const nullableUuid = { type: 'string', format: 'uuid', nullable: true } as const;

/** A change as the API answers it (and its events carry it). Documentation only. */
export class ChangeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ pattern: '^CHG[0-9]{7}$', example: 'CHG0000001' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty(nullableText) justification!: string | null;
  @ApiProperty({ enum: CHANGE_MODELS }) model!: string;
  @ApiProperty(nullableUuid) templateId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) templateVersion!: number | null;
  @ApiProperty(nullableText) category!: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3 }) impact!: number;
  @ApiProperty({ enum: CHANGE_RISKS, description: 'Computed: the highest of its sources.' })
  risk!: string;
  @ApiProperty({ enum: CHANGE_RISK_SOURCES, nullable: true }) riskSource!: string | null;
  @ApiProperty({ type: [String], description: 'Why the risk is what it is, highest first.' })
  riskReasons!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The risk questionnaire: question id to answer id.',
  })
  riskAnswers!: Record<string, string>;
  @ApiProperty(nullableTime) riskAssessedAt!: string | null;
  @ApiProperty({ enum: CHANGE_STATES }) state!: string;
  @ApiProperty({ enum: CHANGE_APPROVAL_STATES }) approval!: string;
  @ApiProperty({ description: 'Held by a freeze in force.' }) onHold!: boolean;
  @ApiProperty(nullableText) holdReason!: string | null;
  @ApiProperty({ ...nullableUuid, description: 'The freeze holding the change.' })
  heldByWindowId!: string | null;
  @ApiProperty(nullableTime) plannedStart!: string | null;
  @ApiProperty(nullableTime) plannedEnd!: string | null;
  @ApiProperty(nullableTime) actualStart!: string | null;
  @ApiProperty(nullableTime) actualEnd!: string | null;
  @ApiProperty(nullableText) implementationPlan!: string | null;
  @ApiProperty(nullableText) backoutPlan!: string | null;
  @ApiProperty(nullableText) testPlan!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) ciIds!: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) businessServiceIds!: string[];
  @ApiProperty(nullableText) assignmentGroup!: string | null;
  @ApiProperty(nullableText) assignee!: string | null;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) problemIds!: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) incidentIds!: string[];
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Incidents this change is recorded as the cause of.',
  })
  causedIncidentIds!: string[];
  @ApiProperty({ enum: CHANGE_CLOSE_CODES, nullable: true }) closeCode!: string | null;
  @ApiProperty(nullableText) closeNotes!: string | null;
  @ApiProperty({ ...nullableText, description: 'The post-implementation review.' })
  reviewNotes!: string | null;
  @ApiProperty({
    description: 'Found by the CMDB: a CI changed with no change in implement or review.',
  })
  unauthorized!: boolean;
  @ApiProperty(nullableText) blackoutOverrideReason!: string | null;
  @ApiProperty({ type: ExternalRefDto, nullable: true }) externalRef!: ExternalRefDto | null;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty(nullableTime) authorizedAt!: string | null;
  @ApiProperty(nullableTime) closedAt!: string | null;
  @ApiProperty(nullableText) closedBy!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
}

export class ChangePageResponse {
  @ApiProperty({ type: [ChangeResponse] }) items!: ChangeResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

const CHANGE_TRANSITION_FIELDS = [
  'reason',
  'assignmentGroup',
  'assignee',
  'plannedStart',
  'plannedEnd',
  'implementationPlan',
  'backoutPlan',
  'testPlan',
  'actualStart',
  'actualEnd',
  'closeCode',
  'closeNotes',
  'reviewNotes',
];

export class OpenChangeTransitionResponse {
  @ApiProperty({
    enum: CHANGE_STATES,
    description: 'The state the change may move to.',
    example: 'assess',
  })
  to!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: CHANGE_TRANSITION_FIELDS },
    description: 'Fields the transition body must carry.',
  })
  requires!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: CHANGE_TRANSITION_FIELDS },
    description: 'Fields it may carry besides those.',
  })
  accepts!: string[];
}

export class OpenChangeTransitionsResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CHANGE_STATES, description: "The change's state." }) state!: string;
  @ApiProperty({
    type: [OpenChangeTransitionResponse],
    description: 'The steps open from there to the caller; empty when none is.',
  })
  transitions!: OpenChangeTransitionResponse[];
}
