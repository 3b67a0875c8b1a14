import { ApiProperty } from '@nestjs/swagger';

/** Documentation of an API key as the list shows it (never its secret). */
export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'alertmanager-prod' })
  name!: string;

  @ApiProperty({ description: 'The first characters of the key, to recognise it.' })
  prefix!: string;

  @ApiProperty({ type: [String] })
  roles!: string[];

  @ApiProperty({ type: [String] })
  groups!: string[];

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  revokedAt!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  lastUsedAt!: string | null;
}

export class ApiKeyPageResponse {
  @ApiProperty({ type: [ApiKeyResponse] })
  items!: ApiKeyResponse[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Always null: one page.' })
  nextCursor!: string | null;
}
