import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CHANGE_WINDOW_KINDS, type ChangeWindowKind } from '@itsm/contracts';
import { Description, Omittable } from '@itsm/platform';

/**
 * An ISO 8601 date-time that says its offset (without one it names no instant), in the
 * years 0001..9999 that PostgreSQL and RFC 5545 both take.
 */
const OFFSET_DATE_TIME =
  /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/i;

/** A date-time with its offset (or Z), kept as text: the controller reads it as an instant. */
export function OffsetDateTime(options: {
  optional: boolean;
  description: string;
  example?: string;
}): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      type: 'string',
      format: 'date-time',
      description: options.description,
      example: options.example,
    }),
    ...(options.optional ? [Omittable()] : []),
    IsString(),
    Matches(OFFSET_DATE_TIME, {
      message:
        '$property must be an ISO 8601 date-time with its offset, such as 2026-03-21T22:00:00+01:00',
    }),
    IsISO8601({ strict: true }),
  );
}

function Name(options: { optional: boolean }): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      minLength: 1,
      maxLength: 200,
      example: 'Saturday night maintenance',
      description: 'What change managers know the window by; conflict messages name it.',
    }),
    ...(options.optional ? [Omittable()] : []),
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(200),
  );
}

function Kind(options: { optional: boolean }): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      enum: CHANGE_WINDOW_KINDS,
      description:
        'maintenance: when changes on its scope belong; blackout: when they are refused (unless an emergency with an override reason); freeze: a blackout that can also be put in force at once, holding in-flight changes until lifted.',
    }),
    ...(options.optional ? [Omittable()] : []),
    IsIn(CHANGE_WINDOW_KINDS),
  );
}

function ScopeIds(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 500, description }),
    Omittable(),
    IsArray(),
    ArrayMaxSize(500),
    IsUUID('all', { each: true }),
  );
}

/** What a window is defined with, and may change. */
class ChangeWindowFields {
  @Description({ optional: true })
  description?: string;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: 500,
    example: 'FREQ=WEEKLY;BYDAY=SA',
    description:
      'An RFC 5545 RRULE (the `RRULE:` prefix may be given) repeating the first occurrence at its local time in `timeZone`: FREQ DAILY, WEEKLY, MONTHLY or YEARLY, with INTERVAL, COUNT (at most 1000) or UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYYEARDAY, BYWEEKNO, BYSETPOS, WKST. The start must be an occurrence of the rule. null: a single occurrence.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  recurrence?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: 100,
    example: 'Europe/Berlin',
    description:
      'The IANA time zone the recurrence keeps its local wall-clock time in (across daylight saving time switches); required with a recurrence.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  timeZone?: string | null;

  @ScopeIds('CIs the window covers.')
  ciIds?: string[];

  @ScopeIds('Business services the window covers (changes declaring them are covered).')
  businessServiceIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    example: ['server'],
    description:
      'CMDB classes the window covers (a CI of a subclass too, when its class lineage is known). With no CIs, services or classes the window covers the whole estate.',
  })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  ciClasses?: string[];

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'An inactive window counts for nothing until activated again.',
  })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}

export class CreateChangeWindowDto extends ChangeWindowFields {
  @Name({ optional: false })
  name!: string;

  @Kind({ optional: false })
  kind!: ChangeWindowKind;

  @OffsetDateTime({
    optional: false,
    description: 'The first occurrence’s start, with its offset.',
    example: '2026-03-21T22:00:00+01:00',
  })
  start!: string;

  @OffsetDateTime({
    optional: false,
    description: 'The first occurrence’s end, after its start.',
    example: '2026-03-22T02:00:00+01:00',
  })
  end!: string;
}

/** A PATCH: every field optional; `null` clears the recurrence or the time zone. */
export class UpdateChangeWindowDto extends ChangeWindowFields {
  @Name({ optional: true })
  name?: string;

  @Kind({ optional: true })
  kind?: ChangeWindowKind;

  @OffsetDateTime({ optional: true, description: 'The first occurrence’s start.' })
  start?: string;

  @OffsetDateTime({ optional: true, description: 'The first occurrence’s end.' })
  end?: string;
}
