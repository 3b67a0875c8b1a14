import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsISO8601,
  IsInt,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { UtcInstant } from '@itsm/platform';
import { CLAUSE_IDS } from '../domain/clauses';
import { BUNDLE_FORMAT } from '../domain/evidence-bundle';
import { ChainVerificationResponse } from '../../event-archive/http/archive-chain.controller';

const SEQUENCE = /^[1-9][0-9]{0,17}$/;
const HASH = /^[0-9a-f]{64}$/;

export class EvidenceQuery {
  @ApiProperty({ enum: CLAUSE_IDS, description: 'The ISO/IEC 20000-1 clause.', example: '8.5.1' })
  @IsIn(CLAUSE_IDS)
  clause!: string;

  @ApiProperty({ format: 'date-time', description: 'Events that happened at or after this.' })
  @UtcInstant()
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'Events that happened before this.' })
  @UtcInstant()
  @IsISO8601({ strict: true })
  to!: string;
}

export class KeyEvidenceResponse {
  @ApiProperty({ type: [String] })
  types!: string[];

  @ApiProperty()
  shows!: string;
}

export class ClauseResponse {
  @ApiProperty({ example: '8.5.1' })
  clause!: string;

  @ApiProperty({ example: 'Change management' })
  title!: string;

  @ApiProperty({ description: 'What the evidence of a period shows.' })
  shows!: string;

  @ApiProperty({
    type: [String],
    description:
      'The record families whose events are the evidence (their read permissions apply).',
  })
  families!: string[];

  @ApiProperty({ type: [KeyEvidenceResponse] })
  keyEvidence!: KeyEvidenceResponse[];
}

export class ClauseListResponse {
  @ApiProperty({ type: [ClauseResponse] })
  items!: ClauseResponse[];
}

export class EvidenceClauseBody {
  @ApiProperty({ example: '8.5.1' })
  @IsString()
  @MaxLength(20)
  clause!: string;

  @ApiProperty()
  @IsString()
  title!: string;

  @ApiProperty()
  @IsString()
  shows!: string;
}

export class EvidencePeriodBody {
  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  to!: string;
}

export class ChainAnchorBody {
  @ApiProperty({ type: 'string', nullable: true, pattern: SEQUENCE.source })
  @ValidateIf((_, value) => value !== null)
  @Matches(SEQUENCE)
  sequence!: string | null;

  @ApiProperty({ pattern: HASH.source })
  @Matches(HASH)
  hash!: string;
}

/** An archive row in a bundle: its chained content, its previous hash and its hash. */
export class EvidenceEntryBody {
  @ApiProperty({ pattern: SEQUENCE.source })
  @Matches(SEQUENCE)
  sequence!: string;

  @ApiProperty()
  @IsString()
  eventId!: string;

  @ApiProperty()
  @IsString()
  topic!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  @IsInt()
  @Min(0)
  partition!: number;

  @ApiProperty({ pattern: '^[0-9]+$' })
  @Matches(/^[0-9]+$/)
  offset!: string;

  @ApiProperty()
  @IsString()
  type!: string;

  @ApiProperty()
  @IsString()
  source!: string;

  @ApiProperty()
  @IsString()
  subject!: string;

  @ApiProperty({ format: 'date-time' })
  @IsString()
  time!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The CloudEvent as archived.',
  })
  @IsObject()
  event!: Record<string, unknown>;

  @ApiProperty({ pattern: HASH.source })
  @Matches(HASH)
  previousHash!: string;

  @ApiProperty({ pattern: HASH.source })
  @Matches(HASH)
  hash!: string;
}

/** The bundle as `GET /api/v1/reports/evidence` answers it, and as its verification takes it back. */
export class EvidenceBundleBody {
  @ApiProperty({ enum: [BUNDLE_FORMAT] })
  @IsIn([BUNDLE_FORMAT])
  format!: typeof BUNDLE_FORMAT;

  @ApiProperty({ type: EvidenceClauseBody })
  @IsObject()
  @ValidateNested()
  @Type(() => EvidenceClauseBody)
  clause!: EvidenceClauseBody;

  @ApiProperty({ type: EvidencePeriodBody })
  @IsObject()
  @ValidateNested()
  @Type(() => EvidencePeriodBody)
  period!: EvidencePeriodBody;

  @ApiProperty({ format: 'date-time' })
  @IsString()
  generatedAt!: string;

  @ApiProperty({ description: 'Who the bundle was made for (it holds what they may read).' })
  @IsString()
  generatedFor!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Counts: `events`, `records`, `byType`, `byRecordKind`, and `keyEvidence` (each kind of key evidence of the clause with its count).',
  })
  @IsObject()
  summary!: Record<string, unknown>;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'The records the events are about: `id`, `kind`, `number` (or name) and their `events` (`sequence`, `type`, `time`).',
  })
  @IsArray()
  @IsObject({ each: true })
  records!: Record<string, unknown>[];

  @ApiProperty({ type: [EvidenceEntryBody] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EvidenceEntryBody)
  entries!: EvidenceEntryBody[];

  @ApiProperty({
    type: ChainAnchorBody,
    description: 'The last row of the archive when the bundle was made.',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => ChainAnchorBody)
  chainHead!: ChainAnchorBody;

  @ApiProperty({
    pattern: HASH.source,
    description: 'SHA-256 of the canonical JSON (RFC 8785) of every other field.',
  })
  @Matches(HASH)
  bundleHash!: string;
}

export class BundleFindingResponse {
  @ApiProperty({
    enum: [
      'bundle_hash',
      'entry_hash',
      'derived',
      'not_in_archive',
      'archive_differs',
      'head_differs',
      'omitted',
    ],
    description:
      "`bundle_hash`: the bundle does not hash to its `bundleHash`. `entry_hash`: an entry does not hash to its `hash`. `derived`: `summary` or `records` are not what the entries give. `not_in_archive`: the archive has no row at the entry's sequence. `archive_differs`: the archive's row there hashes otherwise. `head_differs`: the head the bundle names is not in the chain. `omitted`: an event of the clause and period, archived before the bundle's head, is not in the bundle.",
  })
  kind!: string;

  @ApiPropertyOptional({ type: 'string', nullable: true })
  sequence?: string | null;

  @ApiPropertyOptional()
  expected?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true })
  found?: string | null;

  @ApiPropertyOptional({ enum: ['summary', 'records'] })
  field?: string;
}

export class BundleVerificationResponse {
  @ApiProperty({
    description:
      "The bundle is undamaged, each entry is the archive's row, none is left out, and the archive's chain holds from its first entry to its head.",
  })
  intact!: boolean;

  @ApiProperty()
  bundleHash!: string;

  @ApiProperty({ type: [BundleFindingResponse] })
  findings!: BundleFindingResponse[];

  @ApiProperty({ type: ChainVerificationResponse, nullable: true })
  chain!: ChainVerificationResponse | null;
}
