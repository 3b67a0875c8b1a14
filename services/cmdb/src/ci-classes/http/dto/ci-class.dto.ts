import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import {
  ATTRIBUTE_NAME_PATTERN,
  CLASS_NAME_PATTERN,
  IDENTIFIER_KINDS,
  PRECEDENCE_CORE_FIELDS,
  type AttributeSchema,
  type FieldSourcePrecedence,
  type IdentifierKind,
} from '../../domain/ci-class';

const SOURCE_PRECEDENCE_DESCRIPTION = `Field → discovery sources, highest first, overriding \`CMDB_SOURCE_PRECEDENCE\` for that field in this class and its subclasses (a subclass may override a field again). A field is \`attributes.<name>\` (an attribute the class has) or one of ${PRECEDENCE_CORE_FIELDS.map((field) => `\`${field}\``).join(', ')}. For a field named here its sources rank first; every other source ranks below them, in the global order.`;
const SOURCE_PRECEDENCE_EXAMPLE = {
  'attributes.memoryMb': ['vcenter', 'asset-register'],
  name: ['asset-register'],
};
const IDENTIFICATION_RULES_DESCRIPTION =
  "The identifiers a discovery import matches CIs of this class on, in order; the parent's when absent.";

const ATTRIBUTES_DESCRIPTION =
  'Attribute name (lower camel case) → its JSON Schema, e.g. `{ "rackUnits": { "type": "integer", "minimum": 1 } }`.';

export class AddAttributesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object' },
    description: `${ATTRIBUTES_DESCRIPTION} Attributes added to an existing class are optional, so its CIs stay valid.`,
    example: { rackUnits: { type: 'integer', minimum: 1 } },
    minProperties: 1,
  })
  @IsObject()
  @IsNotEmptyObject({ nullable: false }, { message: 'must name at least one attribute' })
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
    description: IDENTIFICATION_RULES_DESCRIPTION,
  })
  @IsOptional()
  @IsArray()
  @IsIn(IDENTIFIER_KINDS, { each: true })
  identificationRules?: IdentifierKind[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: SOURCE_PRECEDENCE_DESCRIPTION,
    example: SOURCE_PRECEDENCE_EXAMPLE,
  })
  @IsOptional()
  @IsObject()
  sourcePrecedence?: FieldSourcePrecedence;
}

/** Absent fields stay as they are. */
export class UpdateCiClassDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({
    type: [String],
    enum: IDENTIFIER_KINDS,
    nullable: true,
    description: `${IDENTIFICATION_RULES_DESCRIPTION} \`null\` inherits the parent's again. Applies from the next import on.`,
    example: ['serialNumber', 'fqdn', 'hostname'],
  })
  @IsOptional()
  @IsArray()
  @IsIn(IDENTIFIER_KINDS, { each: true })
  identificationRules?: IdentifierKind[] | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: `${SOURCE_PRECEDENCE_DESCRIPTION} Replaces the class's own lists whole; \`{}\` removes them.`,
    example: SOURCE_PRECEDENCE_EXAMPLE,
  })
  @ValidateIf((_, value) => value !== undefined)
  @IsObject()
  sourcePrecedence?: FieldSourcePrecedence;
}

/** What a class is, as stored: the root has no parent, and a class that inherits its identification rules has none of its own. */
export class CiClassResponse extends OmitType(CreateCiClassDto, [
  'parent',
  'identificationRules',
] as const) {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The class it inherits attributes from; null for the root.',
    example: 'network_device',
  })
  parent!: string | null;

  @ApiProperty({
    type: [String],
    enum: IDENTIFIER_KINDS,
    nullable: true,
    description: `The class's own identification rules; null when it uses its parent's (see \`effectiveIdentificationRules\`).`,
  })
  identificationRules!: IdentifierKind[] | null;

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

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description:
      "The per-field source precedence that applies: the class's own lists over its ancestors'.",
  })
  effectiveSourcePrecedence!: FieldSourcePrecedence;

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
