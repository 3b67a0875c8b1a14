import { ApiProperty } from '@nestjs/swagger';
import { CI_STATUSES, type CiStatus } from '../../domain/ci';
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
