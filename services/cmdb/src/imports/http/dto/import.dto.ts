import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsNotIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SOURCE_NAME_PATTERN } from '../../../ci-classes/domain/ci-class';
import { MANUAL_SOURCE } from '../../../cis/domain/ci';
import { CiIdentifiersDto } from '../../../cis/http/dto/ci-identifiers.dto';
import { CreateCiDto } from '../../../cis/http/dto/create-ci.dto';
import {
  RELATIONSHIP_TYPES,
  type RelationshipType,
} from '../../../relationships/domain/relationship-rules';

export class ImportItemDto extends CreateCiDto {
  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Names the item within this import, for relationships to refer to.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  key?: string;
}

export class ImportReferenceDto {
  @ApiPropertyOptional({ description: 'The key of an item of this import.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  key?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An existing CI.' })
  @IsOptional()
  @IsUUID()
  ciId?: string;

  @ApiPropertyOptional({ type: CiIdentifiersDto, description: 'Identifiers of an existing CI.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CiIdentifiersDto)
  identifiers?: CiIdentifiersDto;
}

export class ImportRelationshipDto {
  @ApiProperty({ enum: RELATIONSHIP_TYPES })
  @IsIn(RELATIONSHIP_TYPES)
  type!: RelationshipType;

  @ApiProperty({ type: ImportReferenceDto, description: 'Exactly one of key, ciId, identifiers.' })
  // ValidateNested alone lets a missing object through, to fail where it is used.
  @IsObject()
  @ValidateNested()
  @Type(() => ImportReferenceDto)
  source!: ImportReferenceDto;

  @ApiProperty({ type: ImportReferenceDto, description: 'Exactly one of key, ciId, identifiers.' })
  @IsObject()
  @ValidateNested()
  @Type(() => ImportReferenceDto)
  target!: ImportReferenceDto;
}

export class ImportRequestDto {
  @ApiProperty({
    pattern: '^[a-z0-9][a-z0-9_.-]*$',
    example: 'sccm',
    description:
      'The discovery source; its place in CMDB_SOURCE_PRECEDENCE decides which values it may overwrite. Not `manual`: that is the source of changes made through the API.',
  })
  @IsString()
  @Matches(SOURCE_NAME_PATTERN)
  // An import naming itself manual would rank as people's own edits and overwrite them.
  @IsNotIn([MANUAL_SOURCE], {
    message: `source must name the discovery tool: ${MANUAL_SOURCE} is the source of changes made through the API`,
  })
  source!: string;

  @ApiProperty({ type: [ImportItemDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ImportItemDto)
  items!: ImportItemDto[];

  @ApiPropertyOptional({ type: [ImportRelationshipDto], default: [] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ImportRelationshipDto)
  relationships?: ImportRelationshipDto[];
}

export class ImportModeQuery {
  @ApiPropertyOptional({
    enum: ['auto', 'async'],
    default: 'auto',
    description:
      'async: always run as a job (202); auto: a job only above CMDB_IMPORT_SYNC_LIMIT entries.',
  })
  @IsOptional()
  @IsIn(['auto', 'async'])
  mode: 'auto' | 'async' = 'auto';
}

class ImportConflictResponse {
  @ApiProperty({
    type: 'integer',
    description: 'Position of the item or relationship in the request.',
  })
  index!: number;

  @ApiProperty({ enum: ['item', 'relationship'] })
  kind!: string;

  @ApiPropertyOptional()
  key?: string;

  @ApiProperty({
    enum: [
      'ambiguous_identifier',
      'identifiers_disagree',
      'class_mismatch',
      'no_identifier',
      'invalid_attributes',
      'unresolved_reference',
      'relationship_not_allowed',
    ],
  })
  reason!: string;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ type: [String] })
  ciIds!: string[];
}

class ImportItemResultResponse {
  @ApiProperty({ type: 'integer' })
  index!: number;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    description: "The item's key; absent or null when it has none.",
  })
  key?: string | null;

  @ApiProperty({ type: 'string', format: 'uuid', nullable: true })
  ciId!: string | null;

  @ApiProperty({ enum: ['created', 'updated', 'unchanged', 'conflict'] })
  outcome!: string;

  @ApiPropertyOptional({
    description: 'Values a higher-precedence source had set, kept: `[{ field, heldBy }]`.',
    type: 'array',
    items: { type: 'object' },
  })
  heldBack?: unknown[];
}

class RelationshipCounts {
  @ApiProperty({ type: 'integer' })
  created!: number;

  @ApiProperty({ type: 'integer' })
  unchanged!: number;
}

export class ImportReportResponse {
  @ApiProperty()
  source!: string;

  @ApiProperty({ type: 'integer' })
  created!: number;

  @ApiProperty({ type: 'integer' })
  updated!: number;

  @ApiProperty({ type: 'integer' })
  unchanged!: number;

  @ApiProperty({ type: [ImportConflictResponse] })
  conflicts!: ImportConflictResponse[];

  @ApiProperty({ type: [ImportItemResultResponse] })
  items!: ImportItemResultResponse[];

  @ApiProperty({ type: RelationshipCounts })
  relationships!: RelationshipCounts;
}

export class ImportJobResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  source!: string;

  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] })
  state!: string;

  @ApiProperty({ type: 'integer' })
  totalItems!: number;

  @ApiProperty({ type: 'integer' })
  processedItems!: number;

  @ApiProperty({ type: 'integer' })
  totalRelationships!: number;

  @ApiProperty({ type: 'integer' })
  processedRelationships!: number;

  @ApiProperty({ type: ImportReportResponse, nullable: true })
  report!: ImportReportResponse | null;

  @ApiProperty({ type: 'string', nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  finishedAt!: string | null;
}
