import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CATALOG_ITEM_KEY_PATTERN } from '@itsm/contracts';
import { BooleanQuery, Label, Omittable, PageQuery } from '@itsm/platform';

function Text(options: {
  optional: boolean;
  maxLength: number;
  example: string;
  description: string;
  blank?: boolean;
}): PropertyDecorator {
  return applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      type: 'string',
      ...(options.blank ? {} : { minLength: 1 }),
      maxLength: options.maxLength,
      example: options.example,
      description: options.description,
    }),
    ...(options.optional ? [Omittable()] : []),
    IsString(),
    ...(options.blank ? [] : [Matches(/\S/, { message: '$property must not be blank' })]),
    MaxLength(options.maxLength),
  );
}

const NAME = 'What requesters know the item by.';
const DESCRIPTION = 'What the requester gets (shown on the portal).';
const CATEGORY = 'What the portal groups items by, e.g. Hardware.';
const FULFILMENT_GROUP =
  'The assignment group a request for the item goes to when it names none; a group of the directory. null: the triage group, as any request without a group.';

/**
 * An assignment group the directory knows; `null` (in a PATCH) clears it. The shared label,
 * and never blank: a group of spaces would route requests nowhere.
 */
function FulfilmentGroup(): PropertyDecorator {
  return applyDecorators(
    Label(FULFILMENT_GROUP, 'desktop-support'),
    Matches(/\S/, { message: '$property must not be blank' }),
  );
}

export class CreateCatalogItemDto {
  @ApiProperty({
    type: 'string',
    pattern: CATALOG_ITEM_KEY_PATTERN,
    minLength: 1,
    maxLength: 100,
    example: 'laptop-standard',
    description:
      "The item's stable key: what a service request's `catalogItem` holds. A lower-case slug; never changes.",
  })
  @IsString()
  @Matches(new RegExp(CATALOG_ITEM_KEY_PATTERN), {
    message: '$property must be a lower-case slug such as laptop-standard',
  })
  @MaxLength(100)
  key!: string;

  @Text({ optional: false, maxLength: 200, example: 'Standard laptop', description: NAME })
  name!: string;

  @Text({
    optional: true,
    blank: true,
    maxLength: 4000,
    example: 'A 14" laptop with the standard image, delivered to your desk.',
    description: DESCRIPTION,
  })
  description?: string;

  @Text({ optional: false, maxLength: 100, example: 'Hardware', description: CATEGORY })
  category!: string;

  @FulfilmentGroup()
  fulfilmentGroup?: string | null;

  @ApiPropertyOptional({
    type: 'boolean',
    default: true,
    description: 'Offered to requesters (default); false adds it retired.',
  })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}

/** A PATCH: every field optional; `null` clears the fulfilment group; `active: false` retires the item. */
export class UpdateCatalogItemDto {
  @Text({ optional: true, maxLength: 200, example: 'Standard laptop', description: NAME })
  name?: string;

  @Text({
    optional: true,
    blank: true,
    maxLength: 4000,
    example: 'A 14" laptop with the standard image, delivered to your desk.',
    description: DESCRIPTION,
  })
  description?: string;

  @Text({ optional: true, maxLength: 100, example: 'Hardware', description: CATEGORY })
  category?: string;

  @FulfilmentGroup()
  fulfilmentGroup?: string | null;

  @ApiPropertyOptional({
    type: 'boolean',
    description:
      'false retires the item (no new request may name it; requests naming it keep it); true offers it again.',
  })
  @Omittable()
  @IsBoolean()
  active?: boolean;
}

/** The filters of the catalogue; every one given narrows it. */
export class ListCatalogItemsQuery extends PageQuery {
  @ApiPropertyOptional({
    type: 'string',
    maxLength: 200,
    description:
      'Words, each found (case-insensitive) in the key, name, description or category of the item.',
    example: 'laptop',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 100, description: 'Exactly this category.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Items offered to requesters (true) or retired ones (false); both when absent.',
  })
  @IsOptional()
  @BooleanQuery()
  @IsIn([true, false])
  active?: boolean;
}
