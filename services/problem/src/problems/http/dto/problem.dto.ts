import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { type Impact, type Priority, type Urgency } from '@itsm/contracts';
import {
  CiIds,
  Description,
  Label,
  OptionalUuid,
  PriorityLevel,
  PriorityOverride,
  PriorityOverrideReason,
  Title,
  Username,
} from '@itsm/platform';

function Notes(description: string): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 20000, description })(
      target,
      key,
    );
    IsOptional()(target, key);
    IsString()(target, key);
    MaxLength(20000)(target, key);
  };
}

/** A new problem: by hand, or from an incident (`fromIncidentId`), whose fields it copies unless given. */
export class CreateProblemDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: 'Payroll export deadlocks every month end',
    description: 'Required unless the problem is opened from an incident, whose title it takes.',
  })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(200)
  title?: string;

  @Description({ optional: true })
  description?: string;

  @Label('Category, e.g. database', 'database')
  category?: string;

  @Label('Subcategory', 'locking')
  subcategory?: string;

  @OptionalUuid('The business service (a CI of the CMDB) affected.')
  businessServiceId?: string;

  @CiIds()
  ciIds?: string[];

  @PriorityLevel({ optional: true })
  impact?: Impact;

  @PriorityLevel({ optional: true })
  urgency?: Urgency;

  @PriorityOverride()
  priority?: Priority;

  @PriorityOverrideReason()
  priorityOverrideReason?: string;

  @Label('Assignment group (the problem team).', 'problem-management')
  assignmentGroup?: string;

  @Username('Assignee; needs an assignment group.')
  assignee?: string;

  @Notes('A workaround known from the start.')
  workaround?: string;

  @ApiPropertyOptional({
    enum: ['manual', 'major_incident'],
    default: 'manual',
    description:
      'manual, or major_incident when raised in a major incident review; `incident` is set by fromIncidentId and `auto` by the candidate rules.',
  })
  @IsOptional()
  @IsIn(['manual', 'major_incident'])
  source?: 'manual' | 'major_incident';

  @OptionalUuid(
    'Open the problem from this incident: its fields are copied (those given win) and it is linked.',
  )
  fromIncidentId?: string;
}

/** A PATCH: every field optional; `null` clears an optional one. */
export class UpdateProblemDto {
  @Title({ optional: true })
  title?: string;

  @Description({ optional: true })
  description?: string;

  @Label('Category', 'database')
  category?: string | null;

  @Label('Subcategory', 'locking')
  subcategory?: string | null;

  @OptionalUuid('The business service (a CI of the CMDB) affected.')
  businessServiceId?: string | null;

  @CiIds()
  ciIds?: string[];

  @PriorityLevel({ optional: true })
  impact?: Impact;

  @PriorityLevel({ optional: true })
  urgency?: Urgency;

  @PriorityOverride()
  priority?: Priority | null;

  @PriorityOverrideReason()
  priorityOverrideReason?: string;

  @Label('Assignment group. Changing it clears the assignee unless one is given.')
  assignmentGroup?: string | null;

  @Username('Assignee; needs an assignment group.')
  assignee?: string | null;

  @Notes('What the root cause analysis found.')
  causeNotes?: string | null;

  @Notes('The fix: what was changed, and how.')
  fixNotes?: string | null;

  @Notes('How to work around the problem until it is fixed.')
  workaround?: string | null;
}

export class ProblemTransitionDto {
  @ApiProperty({ description: 'The target state.', example: 'assess' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  to!: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description:
      'Why: required to cancel, to go back to root cause analysis and to accept a risk; kept as a work note.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @Label('Assignment group (required to assess unless the problem has one).')
  assignmentGroup?: string;

  @Username('Assignee.')
  assignee?: string;

  @Notes('Root cause: required to move to fix_in_progress unless already recorded.')
  causeNotes?: string;

  @Notes('The fix: required to resolve from fix_in_progress unless already recorded.')
  fixNotes?: string;

  @Notes('A workaround found along the way.')
  workaround?: string;

  @ApiPropertyOptional({
    enum: ['fix_applied', 'risk_accepted', 'duplicate', 'cancelled'],
    description:
      'Resolving: fix_applied (default from fix_in_progress) or risk_accepted (with a reason); duplicate and cancelled are set by those steps.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  resolutionCode?: string;

  @Notes('Resolution notes.')
  resolutionNotes?: string;

  @OptionalUuid(
    'Closing from assess as a duplicate: the original problem, which takes its incidents and tasks.',
  )
  duplicateOfId?: string;
}

export class LinkIncidentsDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 1000,
    description: 'Incidents to link (an incident linked to another problem moves here).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  incidentIds!: string[];
}

export class LinkChangesDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 100,
    description: 'Changes that fix the problem.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  changeIds!: string[];
}

export class CommunicationDto {
  @ApiProperty({
    enum: ['workaround', 'fix'],
    description: 'Communicate the workaround or the fix to every open linked incident.',
  })
  @IsIn(['workaround', 'fix'])
  kind!: 'workaround' | 'fix';

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 20000,
    description: "The note; the problem's workaround (or fix notes) when left out.",
  })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(20000)
  text?: string;
}

export class JournalEntryDto {
  @ApiProperty({
    enum: ['work_note', 'comment'],
    description:
      'Work notes are internal to those who work problems; comments are for everyone who reads it.',
  })
  @IsIn(['work_note', 'comment'])
  kind!: 'work_note' | 'comment';

  @ApiProperty({ minLength: 1, maxLength: 20000, description: 'More than white space.' })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(20000)
  text!: string;
}
