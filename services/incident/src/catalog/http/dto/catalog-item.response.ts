import { ApiProperty } from '@nestjs/swagger';
import { CATALOG_ITEM_KEY_PATTERN } from '@itsm/contracts';

/** A catalogue item as the API answers it (and as its events carry it). Documentation only. */
export class CatalogItemResponse {
  @ApiProperty({ pattern: CATALOG_ITEM_KEY_PATTERN, maxLength: 100, example: 'laptop-standard' })
  key!: string;
  @ApiProperty({ minLength: 1 }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ minLength: 1 }) category!: string;
  @ApiProperty({ type: 'string', nullable: true }) fulfilmentGroup!: string | null;
  @ApiProperty({ description: 'Offered to requesters; false: retired.' }) active!: boolean;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Increases with every change; the ETag.',
  })
  version!: number;
}

export class CatalogItemPageResponse {
  @ApiProperty({ type: [CatalogItemResponse] }) items!: CatalogItemResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}
