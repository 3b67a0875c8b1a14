import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { APPROVER_KINDS, type ApproverKind } from '../../domain/approval-policy';

export class ApproverRefDto {
  @ApiProperty({ enum: APPROVER_KINDS })
  @IsIn(APPROVER_KINDS)
  kind!: ApproverKind;

  @ApiProperty({ maxLength: 100, example: 'change-advisory-board' })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(100)
  name!: string;
}

export class ApprovalDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision!: 'approve' | 'reject';

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Why; required to reject (say what must change).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({
    type: ApproverRefDto,
    description:
      'Whom the decision speaks for, when the caller could speak for several of the approvers (e.g. a CAB member who is also a change manager); the first one they can that has not decided otherwise.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ApproverRefDto)
  onBehalfOf?: ApproverRefDto;
}

class ApprovalDecisionResponse {
  @ApiProperty() approver!: string;
  @ApiProperty({ type: ApproverRefDto }) onBehalfOf!: ApproverRefDto;
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: string;
  @ApiProperty({ type: 'string', nullable: true }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Given after the fact, on an emergency change that went ahead.' })
  retrospective!: boolean;
}

class ApprovalPolicyRefResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class ApprovalRoundResponse {
  @ApiProperty({ type: 'integer', minimum: 1 }) number!: number;
  @ApiProperty({ type: ApprovalPolicyRefResponse }) policy!: ApprovalPolicyRefResponse;
  @ApiProperty({
    description: '`{kind: all | any}`, `{kind: n_of_m, n}` or `{kind: percentage, percent}`.',
    type: 'object',
    additionalProperties: true,
  })
  rule!: object;
  @ApiProperty({ type: [ApproverRefDto] }) approvers!: ApproverRefDto[];
  @ApiProperty() retrospectiveAllowed!: boolean;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) outcome!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) needed!: number;
  @ApiProperty({ type: 'string', nullable: true }) missing!: string | null;
  @ApiProperty({ type: [ApprovalDecisionResponse] }) decisions!: ApprovalDecisionResponse[];
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) closedAt!: string | null;
}

export class ChangeApprovalsResponse {
  @ApiProperty({ format: 'uuid' }) changeId!: string;
  @ApiProperty({ enum: ['not_requested', 'requested', 'approved', 'rejected', 'not_required'] })
  approval!: string;
  @ApiProperty({ type: [ApprovalRoundResponse] }) rounds!: ApprovalRoundResponse[];
}
