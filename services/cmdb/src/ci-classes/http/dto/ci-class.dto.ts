import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import {
  ATTRIBUTE_NAME_PATTERN,
  CLASS_NAME_PATTERN,
  IDENTIFIER_KINDS,
  type AttributeSchema,
  type IdentifierKind,
} from '../../domain/ci-class';

const ATTRIBUTES_DESCRIPTION =
  'Attribute name (lower camel case) → its JSON Schema, e.g. `{ "rackUnits": { "type": "integer", "minimum": 1 } }`.';

export class AddAttributesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object' },
    description: `${ATTRIBUTES_DESCRIPTION} Attributes added to an existing class are optional, so its CIs stay valid.`,
    example: { rackUnits: { type: 'integer', minimum: 1 } },
  })
  @IsObject()
  attributes!: Record<string, AttributeSchema>;
}

export class CreateCiClassDto {
  @ApiProperty({ pattern: CLASS_NAME_PATTERN.source, example: 'load_balancer' })
  @IsString()
  @Matches(CLASS_NAME_PATTERN)
  name!: string;

  @ApiProperty({ example: 'Load balancer', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  label!: string;

  @ApiProperty({ example: 'network_device', description: 'The class it inherits attributes from.' })
  @IsString()
  @MaxLength(63)
  parent!: string;

  @ApiPropertyOptional({ maxLength: 2000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'An abstract class only groups others: no CI can be of it.',
  })
  @IsOptional()
  @IsBoolean()
  abstract?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object' },
    description: ATTRIBUTES_DESCRIPTION,
    example: { virtualServers: { type: 'integer', minimum: 0 } },
  })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, AttributeSchema>;

  @ApiPropertyOptional({
    type: [String],
    description: 'Attributes (own or inherited) every CI of the class must have.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(ATTRIBUTE_NAME_PATTERN, { each: true })
  required?: string[];

  @ApiPropertyOptional({
    type: [String],
    enum: IDENTIFIER_KINDS,
    description:
      "The identifiers a discovery import matches CIs of this class on, in order; the parent's when absent.",
  })
  @IsOptional()
  @IsArray()
  @IsIn(IDENTIFIER_KINDS, { each: true })
  identificationRules?: IdentifierKind[];
}

export class CiClassResponse extends CreateCiClassDto {
  @ApiProperty()
  builtIn!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The JSON Schema CI attributes are validated against (inherited attributes included).',
  })
  attributeSchema!: Record<string, unknown>;

  @ApiProperty({ type: [String], enum: IDENTIFIER_KINDS })
  effectiveIdentificationRules!: string[];

  @ApiProperty({ type: 'integer' })
  version!: number;
}

export class CiClassList {
  @ApiProperty({ type: [CiClassResponse] })
  items!: CiClassResponse[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Always null: the hierarchy comes whole.',
  })
  nextCursor!: null;
}
