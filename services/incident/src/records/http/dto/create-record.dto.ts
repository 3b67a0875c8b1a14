import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  HOLD_REASONS,
  type HoldReason,
  type RecordSource,
  type Impact,
  type Priority,
  type Urgency,
} from '@itsm/contracts';
import {
  CiIds,
  Description,
  ExternalRef,
  Flag,
  Label,
  OptionalUuid,
  PriorityLevel,
  PriorityOverride,
  PriorityOverrideReason,
  Source,
  Tags,
  Title,
  Username,
} from '@itsm/platform';

/** What incidents and requests both take when they are opened. */
class CreateRecordFields {
  @Title({ optional: false })
  title!: string;

  @Description({ optional: false })
  description!: string;

  @Source()
  source?: RecordSource;

  @Username(
    'On whose behalf the record is opened (e.g. a caller on the phone); the caller by default. Only those who work records may name someone else.',
  )
  requester?: string;

  @Label('Category, e.g. network', 'network')
  category?: string;

  @Label('Subcategory, e.g. vpn', 'vpn')
  subcategory?: string;

  @OptionalUuid('The business service (a CI of the CMDB) affected.')
  businessServiceId?: string;

  @CiIds()
  ciIds?: string[];

  @Label('Assignment group; must exist in the directory.', 'service-desk')
  assignmentGroup?: string;

  @Username('Assignee; must be a member of the assignment group.')
  assignee?: string;

  @PriorityOverride()
  priority?: Priority;

  @PriorityOverrideReason()
  priorityOverrideReason?: string;

  @Tags()
  tags?: string[];

  @ExternalRef()
  externalRef?: string;
}

export class CreateIncidentDto extends CreateRecordFields {
  @PriorityLevel({ optional: false })
  impact!: Impact;

  @PriorityLevel({ optional: false })
  urgency!: Urgency;

  @Flag('Declare it a major incident right away.')
  major?: boolean;

  @OptionalUuid('The major incident this one is a child of.')
  parentId?: string;
}

export class CreateRequestDto extends CreateRecordFields {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    example: 'laptop-standard',
    description: 'The catalog item requested.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  catalogItem!: string;

  @PriorityLevel({ optional: true })
  impact?: Impact;

  @PriorityLevel({ optional: true })
  urgency?: Urgency;
}

/** A PATCH: every field optional; `null` clears an optional one. */
export class UpdateRecordDto {
  @Title({ optional: true })
  title?: string;

  @Description({ optional: true })
  description?: string;

  @Label('Category', 'network')
  category?: string | null;

  @Label('Subcategory', 'vpn')
  subcategory?: string | null;

  @Label('The catalog item (service requests only).')
  catalogItem?: string | null;

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

  @Label(
    'Assignment group; must exist in the directory. Changing it clears the assignee unless one is given.',
  )
  assignmentGroup?: string | null;

  @Username('Assignee; must be a member of the assignment group.')
  assignee?: string | null;

  @Flag('Declare (true) a major incident (incidents only).')
  major?: boolean;

  @OptionalUuid('Link to (or, with null, unlink from) a major incident (incidents only).')
  parentId?: string | null;

  @Tags()
  tags?: string[];

  @ExternalRef()
  externalRef?: string | null;
}

export class TransitionDto {
  @ApiProperty({ description: 'The target state.', example: 'in_progress' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  to!: string;

  @ApiPropertyOptional({
    enum: HOLD_REASONS,
    description: 'Required to put an incident on hold.',
  })
  @IsOptional()
  @IsIn(HOLD_REASONS)
  holdReason?: HoldReason;

  @OptionalUuid('The change an awaiting_change hold waits for; required with it.')
  awaitingChangeId?: string;

  @ApiPropertyOptional({
    description: 'Required to resolve; one of the resolution codes (docs/incidents.md).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  resolutionCode?: string;

  @ApiPropertyOptional({
    maxLength: 20000,
    description: 'Required to resolve an incident or fulfil a request.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  resolutionNotes?: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Required to cancel, reject or reopen; goes to the journal.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @Label('Assignment group, when starting work.')
  assignmentGroup?: string;

  @Username('Assignee, when starting work.')
  assignee?: string;

  @Flag('Resolving a major incident: also resolve its open children (default true).')
  resolveChildren?: boolean;
}

export class JournalEntryDto {
  @ApiProperty({
    enum: ['work_note', 'comment'],
    description: 'Work notes are internal; comments are visible to the requester.',
  })
  @IsIn(['work_note', 'comment'])
  kind!: 'work_note' | 'comment';

  @ApiProperty({ minLength: 1, maxLength: 20000, description: 'More than white space.' })
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(20000)
  text!: string;
}
