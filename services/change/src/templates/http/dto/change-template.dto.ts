import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  CHANGE_TASK_TYPES,
  CHANGE_TEMPLATE_RISKS,
  CHANGE_TEMPLATE_STATES,
  type ChangeTaskType,
  type ChangeTemplateRisk,
} from '@itsm/contracts';
import { CommaList, Description, Label, PageQuery, Title, Omittable } from '@itsm/platform';
import { type ChangeImpact } from '../../../changes/domain/change';
import { MAX_TEMPLATE_TASKS } from '../../domain/change-template';

const LONG_TEXT = 20000;

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

/** A task every change opened from the template gets. */
export class TemplateTaskDto {
  @ApiProperty({ enum: CHANGE_TASK_TYPES })
  @IsIn(CHANGE_TASK_TYPES)
  type!: ChangeTaskType;

  @Title({ optional: false })
  title!: string;

  @ApiPropertyOptional({ maxLength: LONG_TEXT, default: '' })
  @Omittable()
  @IsString()
  @MaxLength(LONG_TEXT)
  description: string = '';
}

/** What a version says; on create `name` and `changeTitle` are required, on a PATCH nothing is. */
class TemplateFields {
  @Description({ optional: true })
  description?: string;

  @ApiPropertyOptional({
    maxLength: LONG_TEXT,
    description: 'The description of the changes opened from the template.',
  })
  @Omittable()
  @IsString()
  @MaxLength(LONG_TEXT)
  changeDescription?: string;

  @Label('The category of the changes, e.g. software, hardware, network.', 'database')
  category?: string | null;

  @Notes('How the change is carried out, step by step (required to approve).')
  implementationPlan?: string | null;

  @Notes('How the change is undone if it fails (required to approve).')
  backoutPlan?: string | null;

  @Notes('How the change is verified.')
  testPlan?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 3,
    description: 'The impact of the changes: 1 high, 2 medium, 3 low (default).',
  })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(3)
  impact?: ChangeImpact;

  @ApiPropertyOptional({
    enum: CHANGE_TEMPLATE_RISKS,
    description:
      'The pre-assessed risk the changes carry (default low); anything riskier is a normal change.',
  })
  @Omittable()
  @IsIn(CHANGE_TEMPLATE_RISKS)
  risk?: ChangeTemplateRisk;

  @Label('The assignment group a change gets unless it names one.', 'database')
  assignmentGroup?: string | null;

  @ApiPropertyOptional({
    type: [TemplateTaskDto],
    maxItems: MAX_TEMPLATE_TASKS,
    description: 'The tasks every change gets, in order. A PATCH replaces the list.',
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(MAX_TEMPLATE_TASKS)
  @ValidateNested({ each: true })
  @Type(() => TemplateTaskDto)
  tasks?: TemplateTaskDto[];
}

export class CreateChangeTemplateDto extends TemplateFields {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Restart an application server' })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    example: 'Rolling restart of the payments application servers',
    description: 'The title of the changes opened from the template.',
  })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(200)
  changeTitle!: string;
}

/** A PATCH of the draft: every field optional; `null` clears an optional one. */
export class UpdateChangeTemplateDto extends TemplateFields {
  @Title({ optional: true })
  name?: string;

  @Title({ optional: true })
  changeTitle?: string;
}

export class ChangeTemplateTransitionDto {
  @ApiProperty({ enum: CHANGE_TEMPLATE_STATES, description: 'The target state.' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  to!: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Why (sending back, withdrawing, retiring); kept on the version.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'The version to move; by default the draft, else the published version.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListChangeTemplatesQuery extends PageQuery {
  @ApiPropertyOptional({
    description: `States, comma-separated (${CHANGE_TEMPLATE_STATES.join(', ')}).`,
    example: 'published',
  })
  @IsOptional()
  @CommaList()
  @IsIn(CHANGE_TEMPLATE_STATES, { each: true })
  state?: string[];

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Text anywhere in the name or description, case-insensitive.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
