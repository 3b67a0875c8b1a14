import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { CiIds, Label, OptionalUuid, Title, UtcInstant } from '@itsm/platform';

/** The longest free text a known error holds (symptom, root cause, workaround, solution). */
const LONG_TEXT = 20000;

/** The symptom: required at creation, never cleared (so not null in a PATCH), more than white space. */
function Symptom(options: { optional: boolean }): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      minLength: 1,
      maxLength: LONG_TEXT,
      description: 'What the user or the monitoring sees: the text the desk searches by.',
      example: 'Outlook shows "Trying to connect…" after the VPN reconnects',
    }),
    ...(options.optional
      ? [ValidateIf((_dto: object, value: unknown) => value !== undefined)]
      : []),
    IsString(),
    Matches(/\S/, { message: '$property must not be blank' }),
    MaxLength(LONG_TEXT),
  );
}

/** A free-text field that may be left empty; `null` (or blank) clears it. */
function LongText(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'string', nullable: true, maxLength: LONG_TEXT, description }),
    IsOptional(),
    IsString(),
    MaxLength(LONG_TEXT),
  );
}

/** An instant, any ISO 8601 offset read as UTC; years 0001..9999 only, which PostgreSQL stores. */
function ValidUntil(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      format: 'date-time',
      nullable: true,
      description:
        'After this instant the known error is no longer offered nor found, unless expired ones are asked for; null: valid until changed.',
    }),
    IsOptional(),
    UtcInstant(),
    IsISO8601({ strict: true }),
    Matches(/^(?!0000)\d{4}-/, { message: '$property must be in the years 0001 to 9999' }),
  );
}

/** What a known error is recorded with, and may change. */
class KnownErrorFields {
  @LongText('Why it happens, as far as known.')
  rootCause?: string | null;

  @LongText('What restores service until the solution is in place.')
  workaround?: string | null;

  @LongText('The permanent fix, once there is one.')
  solution?: string | null;

  @Label(
    'An error code or message id the symptom shows; searched exactly, ignoring case.',
    'ORA-00600',
  )
  errorCode?: string | null;

  @Label('Category, as incidents are categorised.', 'email')
  category?: string | null;

  @CiIds()
  ciIds?: string[];

  @Label('The CMDB class of the CIs it concerns.', 'server')
  ciClass?: string | null;

  @Label('Vendor of the product it concerns.', 'Microsoft')
  vendor?: string | null;

  @Label('Model or product.', 'Exchange Server')
  model?: string | null;

  @Label('Version(s) it concerns.', '2019 CU12')
  version?: string | null;

  @OptionalUuid('The problem it was recorded from; must exist.')
  problemId?: string | null;

  @ValidUntil()
  validUntil?: string | null;
}

export class CreateKnownErrorDto extends KnownErrorFields {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description: "Defaults to the symptom's first 200 characters.",
    example: 'Outlook disconnected after VPN reconnect',
  })
  @Title({ optional: true })
  title?: string;

  @Symptom({ optional: false })
  symptom!: string;
}

/** A PATCH: every field optional; `null` clears an optional one (title, symptom and ciIds have nothing to clear to). */
export class UpdateKnownErrorDto extends KnownErrorFields {
  @Title({ optional: true })
  title?: string;

  @Symptom({ optional: true })
  symptom?: string;
}
