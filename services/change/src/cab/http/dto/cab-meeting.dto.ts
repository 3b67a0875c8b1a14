import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { BooleanQuery, Omittable, PageQuery } from '@itsm/platform';
import { OffsetDateTime } from '../../../windows/http/dto/change-window.dto';

type FieldOptions = { optional: boolean };

/** Required when defining a meeting, omittable (never null) in a PATCH. */
function Field(
  options: FieldOptions,
  schema: Parameters<typeof ApiProperty>[0],
  ...validators: PropertyDecorator[]
): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)(schema),
    ...(options.optional ? [Omittable()] : []),
    ...validators,
  );
}

const Name = (options: FieldOptions) =>
  Field(
    options,
    { minLength: 1, maxLength: 200, example: 'Weekly CAB' },
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(200),
  );

const Recurrence = (options: FieldOptions) =>
  Field(
    options,
    {
      maxLength: 500,
      example: 'FREQ=WEEKLY;BYDAY=TU',
      description:
        'An RFC 5545 RRULE without DTSTART (`firstStart` gives it); FREQ DAILY, WEEKLY, MONTHLY or YEARLY.',
    },
    IsString(),
    MaxLength(500),
  );

const FirstStart = (options: FieldOptions) =>
  Field(
    options,
    {
      example: '2026-03-03T14:00',
      description:
        'The first meeting’s local date and time in `timeZone`, without an offset: later meetings keep that wall-clock time across daylight saving time switches.',
    },
    IsString(),
    MaxLength(19),
  );

const TimeZone = (options: FieldOptions) =>
  Field(
    options,
    { minLength: 1, maxLength: 100, example: 'Europe/Paris', description: 'An IANA time zone.' },
    IsString(),
    MaxLength(100),
  );

const DurationMinutes = (options: FieldOptions) =>
  Field(
    options,
    { type: 'integer', minimum: 5, maximum: 1440, example: 60 },
    IsInt(),
    Min(5),
    Max(1440),
  );

const ApproverGroup = (options: FieldOptions) =>
  Field(
    options,
    {
      minLength: 1,
      maxLength: 100,
      example: 'change-advisory-board',
      description:
        'The approver group the meeting decides for: its agenda lists the changes whose approval waits on this group, and only its members record the decisions.',
    },
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(100),
  );

const AgendaLookAheadDays = (options: FieldOptions) =>
  Field(
    options,
    {
      type: 'integer',
      minimum: 1,
      maximum: 90,
      example: 7,
      description:
        'The agenda lists the changes planned to start before the meeting plus this many days (and those with no planned start); later ones wait for a later meeting.',
    },
    IsInt(),
    Min(1),
    Max(90),
  );

export class CreateCabMeetingDto {
  @Name({ optional: false }) name!: string;
  @Recurrence({ optional: false }) recurrence!: string;
  @FirstStart({ optional: false }) firstStart!: string;
  @TimeZone({ optional: false }) timeZone!: string;
  @DurationMinutes({ optional: false }) durationMinutes!: number;
  @ApproverGroup({ optional: false }) approverGroup!: string;
  @AgendaLookAheadDays({ optional: false }) agendaLookAheadDays!: number;
}

/** A PATCH: every field optional, none nullable. */
export class UpdateCabMeetingDto {
  @Name({ optional: true }) name?: string;
  @Recurrence({ optional: true }) recurrence?: string;
  @FirstStart({ optional: true }) firstStart?: string;
  @TimeZone({ optional: true }) timeZone?: string;
  @DurationMinutes({ optional: true }) durationMinutes?: number;
  @ApproverGroup({ optional: true }) approverGroup?: string;
  @AgendaLookAheadDays({ optional: true }) agendaLookAheadDays?: number;
}

export class ListCabMeetingsQuery extends PageQuery {
  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Meetings still held (true) or retired ones (false).',
  })
  @IsOptional()
  @BooleanQuery()
  @IsIn([true, false])
  active?: boolean;
}

export class CabOccurrencesQuery {
  @OffsetDateTime({
    optional: false,
    description: 'Meetings starting in [from, to); at most 366 days.',
    example: '2026-03-01T00:00:00Z',
  })
  from!: string;

  @OffsetDateTime({
    optional: false,
    description: 'End of the range.',
    example: '2026-04-01T00:00:00Z',
  })
  to!: string;
}

export class CabAgendaQuery {
  @OffsetDateTime({
    optional: true,
    description:
      'The start of the meeting, as its occurrences list it; without it, the meeting in progress or else the next one.',
  })
  start?: string;
}

export class CabDecisionDto {
  @OffsetDateTime({
    optional: false,
    description: 'The start of the meeting taking the decision (it must have started).',
    example: '2026-03-10T13:00:00Z',
  })
  meetingStart!: string;

  @ApiProperty({ format: 'uuid', description: 'A change on that meeting’s agenda.' })
  @IsUUID('all')
  changeId!: string;

  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision!: 'approve' | 'reject';

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Why; required to reject (say what must change).',
  })
  @Omittable()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
