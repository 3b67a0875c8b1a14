import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { CHANGE_CLOSE_CODES, CHANGE_MODELS, type ChangeModel } from '@itsm/contracts';
import { CiIds, Description, Instant, Label, OptionalUuid, Title, Username } from '@itsm/platform';
import { type ChangeImpact } from '../../domain/change';

const LONG_TEXT = 20000;

/** A flat object of short strings (ids): nothing nested, nothing huge. */
function IsRecordOfStrings(): PropertyDecorator {
  return ValidateBy({
    name: 'isRecordOfStrings',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        Object.keys(value).length <= 100 &&
        Object.entries(value).every(
          ([key, answer]) =>
            key.length <= 100 && typeof answer === 'string' && answer.length <= 100,
        ),
      defaultMessage: () => '$property must map question ids to answer ids (at most 100 strings)',
    },
  });
}

function Notes(description: string): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({ type: 'string', nullable: true, maxLength: LONG_TEXT, description })(
      target,
      key,
    );
    IsOptional()(target, key);
    IsString()(target, key);
    MaxLength(LONG_TEXT)(target, key);
  };
}

function UuidList(description: string, maxItems: number): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({ type: [String], format: 'uuid', maxItems, description })(target, key);
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(maxItems)(target, key);
    IsUUID('all', { each: true })(target, key);
  };
}

function Impact(): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: 3,
      description: '1 high, 2 medium, 3 low (default).',
    })(target, key);
    IsOptional()(target, key);
    IsInt()(target, key);
    Min(1)(target, key);
    Max(3)(target, key);
  };
}

const REF_PART = /^\S(.*\S)?$/;

/** The pipeline run a change is for: provider, pipeline, run and environment identify it. */
export class ExternalRefDto {
  @ApiProperty({ maxLength: 100, example: 'github-actions' })
  @IsString()
  @Matches(REF_PART, { message: '$property must not be blank or padded' })
  @MaxLength(100)
  provider!: string;

  @ApiProperty({ maxLength: 300, example: 'acme/payments/deploy.yml' })
  @IsString()
  @Matches(REF_PART, { message: '$property must not be blank or padded' })
  @MaxLength(300)
  pipeline!: string;

  @ApiProperty({ maxLength: 100, example: '9137723845' })
  @IsString()
  @Matches(REF_PART, { message: '$property must not be blank or padded' })
  @MaxLength(100)
  run!: string;

  @ApiProperty({ maxLength: 100, example: 'production' })
  @IsString()
  @Matches(REF_PART, { message: '$property must not be blank or padded' })
  @MaxLength(100)
  environment!: string;

  @ApiPropertyOptional({ maxLength: 100, nullable: true, example: '4f2a9c1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  commit?: string | null;
}

/** What a change is raised and edited with. */
class ChangeFields {
  @Description({ optional: true })
  description?: string;

  @Notes('Why the change is needed (the business case).')
  justification?: string | null;

  @Label('Category, e.g. software, hardware, network', 'software')
  category?: string | null;

  @Impact()
  impact?: ChangeImpact;

  @Notes('How the change is carried out, step by step.')
  implementationPlan?: string | null;

  @Notes('How the change is undone if it fails.')
  backoutPlan?: string | null;

  @Notes('How the change is verified.')
  testPlan?: string | null;

  @CiIds()
  ciIds?: string[];

  @UuidList('The business services (CIs of the CMDB) the change affects.', 100)
  businessServiceIds?: string[];

  @Label('Assignment group (the implementers).', 'database')
  assignmentGroup?: string | null;

  @Username('Assignee; needs an assignment group.')
  assignee?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      "The risk questionnaire's answers, question id to answer id (`GET /changes/{id}/risk` lists the questions); replaced as a whole.",
    example: { outage: 'none', tested: 'staging' },
  })
  @IsOptional()
  @IsObject()
  @IsRecordOfStrings()
  riskAnswers?: Record<string, string>;
}

/** A new change. Standard changes come from a published template (`templateId`), which fixes their fields. */
export class CreateChangeDto extends ChangeFields {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: 'Upgrade PostgreSQL 16 to 17 on db-payments',
    description: 'Required unless the change comes from a template, whose title it takes.',
  })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({
    enum: CHANGE_MODELS,
    default: 'normal',
    description:
      'standard (needs templateId), normal or emergency; standard when only templateId is given.',
  })
  @IsOptional()
  @IsIn(CHANGE_MODELS)
  model?: ChangeModel;

  @OptionalUuid(
    'A published standard change template: required for, and only for, a standard change.',
  )
  templateId?: string;

  @Instant('Planned start; given together with plannedEnd.')
  plannedStart?: string;

  @Instant('Planned end, after plannedStart.')
  plannedEnd?: string;

  @Notes(
    'An emergency change only: why it goes ahead inside a blackout or a freeze (the others are refused there).',
  )
  blackoutOverrideReason?: string;

  @UuidList('Problems this change fixes.', 100)
  problemIds?: string[];

  @UuidList('Incidents this change fixes.', 1000)
  incidentIds?: string[];

  @ApiPropertyOptional({ type: ExternalRefDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExternalRefDto)
  externalRef?: ExternalRefDto;
}

/** A PATCH: every field optional; `null` clears an optional one. */
export class UpdateChangeDto extends ChangeFields {
  @Title({ optional: true })
  title?: string;

  @Instant('Planned start; null clears the planned window (with plannedEnd).', { nullable: true })
  plannedStart?: string | null;

  @Instant('Planned end, after plannedStart.', { nullable: true })
  plannedEnd?: string | null;

  @Notes('Notes on how the implementation went.')
  closeNotes?: string | null;

  @Notes('The post-implementation review.')
  reviewNotes?: string | null;

  @Notes(
    'An emergency change only: why it goes ahead inside a blackout or a freeze; null withdraws the override.',
  )
  blackoutOverrideReason?: string | null;
}

export class ChangeTransitionDto {
  @ApiProperty({ description: 'The target state.', example: 'assess' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  to!: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description:
      'Why: required to cancel, to withdraw a change to new, and for an emergency change to implement before it is authorised; kept as a work note.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @Label('Assignment group (required to assess unless the change has one).')
  assignmentGroup?: string;

  @Username('Assignee.')
  assignee?: string;

  @Instant('Planned start (required to ask for authorisation or to schedule, unless planned).')
  plannedStart?: string;

  @Instant('Planned end.')
  plannedEnd?: string;

  @Notes('Implementation plan (required to ask for authorisation of a normal change).')
  implementationPlan?: string;

  @Notes('Backout plan (required to ask for authorisation of a normal change).')
  backoutPlan?: string;

  @Notes('Test plan.')
  testPlan?: string;

  @Instant('When implementation started (default now).')
  actualStart?: string;

  @Instant('When implementation ended (default now).')
  actualEnd?: string;

  @ApiPropertyOptional({
    enum: CHANGE_CLOSE_CODES,
    description: 'How the implementation went: required to leave implement.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  closeCode?: string;

  @Notes('Notes on how the implementation went.')
  closeNotes?: string;

  @Notes(
    'The post-implementation review: required to close an emergency, unauthorised, unsuccessful or backed-out change.',
  )
  reviewNotes?: string;
}

export class JournalEntryDto {
  @ApiProperty({ enum: ['work_note', 'comment'] })
  @IsIn(['work_note', 'comment'])
  kind!: 'work_note' | 'comment';

  @ApiProperty({ minLength: 1, maxLength: LONG_TEXT, description: 'More than white space.' })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(LONG_TEXT)
  text!: string;
}
