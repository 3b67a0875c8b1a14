import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PRIORITIES, RECORD_SOURCES } from '@itsm/contracts';
import { UtcInstant } from './utc-instant';

/** Decorators shared by the record DTOs of every service, so that a field reads the same in every body. */

/** May be left out, but not sent as null: the field has no empty value to be cleared to. */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_record: object, value: unknown) => value !== undefined);
}

export function Title(options: { optional: boolean }): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      minLength: 1,
      maxLength: 200,
      example: 'Mail is down',
    }),
    ...(options.optional ? [Omittable()] : []),
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(200),
  );
}

export function Description(options: { optional: boolean }): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      maxLength: 20000,
      example: 'No mail since 09:00',
    }),
    ...(options.optional ? [Omittable()] : []),
    IsString(),
    MaxLength(20000),
  );
}

/** Impact and urgency: 1 (high) .. 3 (low); the priority follows from the two. */
export function PriorityLevel(options: { optional: boolean }): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      type: 'integer',
      minimum: 1,
      maximum: 3,
      description: '1 (high) .. 3 (low); the priority follows from the matrix.',
    }),
    ...(options.optional ? [Omittable()] : []),
    IsInt(),
    Min(1),
    Max(3),
  );
}

/** A short optional label (category, group, catalog item, …); `null` clears it in a PATCH. */
export function Label(description: string, example?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      nullable: true,
      minLength: 1,
      maxLength: 100,
      description,
      example,
    }),
    IsOptional(),
    IsString(),
    MinLength(1),
    MaxLength(100),
  );
}

export function OptionalUuid(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, description }),
    IsOptional(),
    IsUUID(),
  );
}

export function CiIds(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: 100,
      description: 'Affected configuration items.',
    }),
    Omittable(),
    IsArray(),
    ArrayMaxSize(100),
    IsUUID('all', { each: true }),
  );
}

export function Tags(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      maxItems: 30,
      description: 'Free labels; stored lower case, each once. A PATCH replaces the whole set.',
      example: ['vpn', 'remote-work'],
    }),
    Omittable(),
    IsArray(),
    ArrayMaxSize(30),
    IsString({ each: true }),
    MinLength(1, { each: true }),
    MaxLength(50, { each: true }),
  );
}

export function Source(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: RECORD_SOURCES, default: 'portal' }),
    IsOptional(),
    IsIn(RECORD_SOURCES),
  );
}

/** A manual priority; needs `priorityOverrideReason`. In a PATCH, `null` returns to the matrix. */
export function PriorityOverride(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      enum: PRIORITIES,
      nullable: true,
      description:
        'Overrides the matrix; needs priorityOverrideReason. null returns to the matrix.',
    }),
    IsOptional(),
    IsIn(PRIORITIES),
  );
}

export function PriorityOverrideReason(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      minLength: 1,
      maxLength: 500,
      description: 'Why the priority is set by hand.',
    }),
    IsOptional(),
    IsString(),
    MinLength(1),
    MaxLength(500),
  );
}

export function ExternalRef(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      nullable: true,
      maxLength: 200,
      description: 'A reference in another system, e.g. an alert fingerprint.',
    }),
    IsOptional(),
    IsString(),
    MaxLength(200),
  );
}

export function Flag(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'boolean', description }),
    Omittable(),
    IsBoolean(),
  );
}

const USERNAME_PATTERN = /^\S+$/;

export function Username(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      nullable: true,
      pattern: USERNAME_PATTERN.source,
      maxLength: 100,
      description,
    }),
    IsOptional(),
    IsString(),
    Matches(USERNAME_PATTERN, { message: '$property must be a username (no spaces)' }),
    MaxLength(100),
  );
}

/** Comma-separated query values as a list: `state=new,in_progress`. */
export function CommaList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : value,
  );
}

/**
 * An instant in a body: any ISO 8601 offset, read as the same instant in UTC; years
 * 0001..9999 only, which PostgreSQL stores. `nullable` lets a PATCH clear it.
 */
export function Instant(
  description: string,
  options: { nullable?: boolean } = {},
): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      format: 'date-time',
      nullable: options.nullable ?? false,
      description,
    }),
    options.nullable ? IsOptional() : Omittable(),
    UtcInstant(),
    IsISO8601({ strict: true }),
    Matches(/^(?!0000)\d{4}-/, { message: '$property must be in the years 0001 to 9999' }),
  );
}
