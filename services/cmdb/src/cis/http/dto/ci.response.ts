import { ApiProperty } from '@nestjs/swagger';
import { ANY_JSON_VALUE } from '@itsm/platform';
import { RELATIONSHIP_TYPES } from '../../../relationships/domain/relationship-rules';
import { CI_STATUSES, type CiStatus } from '../../domain/ci';
import { CI_HISTORY_KINDS } from '../../persistence/ci-history.entity';
import { CiIdentifiersDto } from './ci-identifiers.dto';

/** A CI as the API answers it (and as its events carry it). Documentation only. */
export class CiResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'virtual_server' })
  class!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: CI_STATUSES })
  status!: CiStatus;

  @ApiProperty({ type: 'string', nullable: true })
  environment!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  ownerGroup!: string | null;

  @ApiProperty({
    description:
      'Seen only by the owner group and by those who see every record; anyone else gets 404.',
  })
  restricted!: boolean;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: 4 })
  criticality!: number | null;

  @ApiProperty({ type: CiIdentifiersDto })
  identifiers!: CiIdentifiersDto;

  @ApiProperty({ type: 'object', additionalProperties: true })
  attributes!: Record<string, unknown>;

  @ApiProperty({
    type: [String],
    description: 'The sources that have set any of its values (`manual` for the API).',
  })
  sources!: string[];

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastDiscoveredAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;
}

export class CiPage {
  @ApiProperty({ type: [CiResponse] })
  items!: CiResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}

const HISTORY_KINDS = [...CI_HISTORY_KINDS, 'relationship_created', 'relationship_deleted'];

export class HistoryRelationshipResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: RELATIONSHIP_TYPES })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  sourceId!: string;

  @ApiProperty({ format: 'uuid' })
  targetId!: string;
}

/** One entry of a CI's history: one changed field, a relationship created or deleted, or a change that touched it. */
export class HistoryEntryResponse {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: HISTORY_KINDS })
  kind!: string;

  @ApiProperty({ description: 'The user (for an import, the user who ran it).' })
  actor!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The discovery source of an import; null through the API.',
  })
  source!: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'The changed field (`name`, `attributes.cpuCount`, `identifiers.fqdn`, …); null for entries that are not a field change.',
  })
  field!: string | null;

  @ApiProperty(ANY_JSON_VALUE)
  oldValue!: unknown;

  @ApiProperty(ANY_JSON_VALUE)
  newValue!: unknown;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'CHG0001234',
    description: 'For `changed_by_change`: the change that touched the CI.',
  })
  changeNumber!: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The CI version the change left (null for relationship entries).',
  })
  version!: number | null;

  @ApiProperty({ type: HistoryRelationshipResponse, nullable: true })
  relationship!: HistoryRelationshipResponse | null;
}

export class HistoryPage {
  @ApiProperty({ type: [HistoryEntryResponse] })
  items!: HistoryEntryResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}
