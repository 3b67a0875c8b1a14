import { ApiProperty } from '@nestjs/swagger';
import { CHANGE_RISKS, CHANGE_TASK_TYPES, CHANGE_TEMPLATE_STATES } from '@itsm/contracts';

const nullableText = { type: 'string', nullable: true } as const;
const nullableTime = { type: 'string', format: 'date-time', nullable: true } as const;
const nullableVersion = { type: 'integer', minimum: 1, nullable: true } as const;

export class TemplateTaskResponse {
  @ApiProperty({ enum: CHANGE_TASK_TYPES }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
}

/** A version of a template as the API answers it (and its events carry it). Documentation only. */
export class ChangeTemplateVersionResponse {
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ enum: CHANGE_TEMPLATE_STATES }) state!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() changeTitle!: string;
  @ApiProperty() changeDescription!: string;
  @ApiProperty(nullableText) category!: string | null;
  @ApiProperty(nullableText) implementationPlan!: string | null;
  @ApiProperty(nullableText) backoutPlan!: string | null;
  @ApiProperty(nullableText) testPlan!: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3 }) impact!: number;
  @ApiProperty({ enum: CHANGE_RISKS }) risk!: string;
  @ApiProperty(nullableText) assignmentGroup!: string | null;
  @ApiProperty({ type: [TemplateTaskResponse] }) tasks!: TemplateTaskResponse[];
  @ApiProperty({
    type: [String],
    description: 'Who proposed or edited the version: none of them may approve it.',
  })
  authors!: string[];
  @ApiProperty() proposedBy!: string;
  @ApiProperty({ format: 'date-time' }) proposedAt!: string;
  @ApiProperty(nullableText) approvedBy!: string | null;
  @ApiProperty(nullableTime) approvedAt!: string | null;
  @ApiProperty(nullableText) publishedBy!: string | null;
  @ApiProperty(nullableTime) publishedAt!: string | null;
  @ApiProperty(nullableText) retiredBy!: string | null;
  @ApiProperty(nullableTime) retiredAt!: string | null;
  @ApiProperty({ ...nullableVersion, description: 'The version whose publication retired it.' })
  supersededBy!: number | null;
  @ApiProperty(nullableText) stateReason!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ChangeTemplateResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Of the published version, else of the latest.' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({
    enum: CHANGE_TEMPLATE_STATES,
    description: 'published while a version is; else the state of the draft, or retired.',
  })
  state!: string;
  @ApiProperty(nullableVersion) publishedVersion!: number | null;
  @ApiProperty(nullableVersion) draftVersion!: number | null;
  @ApiProperty({ type: 'integer', minimum: 1 }) latestVersion!: number;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Counts every change of the template and its versions; the ETag.',
  })
  revision!: number;
  @ApiProperty({ type: ChangeTemplateVersionResponse, nullable: true })
  published!: ChangeTemplateVersionResponse | null;
  @ApiProperty({
    type: ChangeTemplateVersionResponse,
    nullable: true,
    description: 'The version on its way to publication (proposed or approved).',
  })
  draft!: ChangeTemplateVersionResponse | null;
}

export class ChangeTemplatePageResponse {
  @ApiProperty({ type: [ChangeTemplateResponse] }) items!: ChangeTemplateResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class ChangeTemplateVersionPageResponse {
  @ApiProperty({ type: [ChangeTemplateVersionResponse] }) items!: ChangeTemplateVersionResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}
