import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const nullableText = { type: 'string', nullable: true } as const;

/** A known error as the API answers it (and as its events carry it). Documentation only. */
export class KnownErrorResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ pattern: '^KE[0-9]{7}$', example: 'KE0000042' }) number!: string;
  @ApiProperty({ minLength: 1 }) title!: string;
  @ApiProperty({ minLength: 1 }) symptom!: string;
  @ApiProperty(nullableText) rootCause!: string | null;
  @ApiProperty(nullableText) workaround!: string | null;
  @ApiProperty(nullableText) solution!: string | null;
  @ApiProperty(nullableText) errorCode!: string | null;
  @ApiProperty(nullableText) category!: string | null;
  @ApiProperty({ type: [String], format: 'uuid' }) ciIds!: string[];
  @ApiProperty(nullableText) ciClass!: string | null;
  @ApiProperty(nullableText) vendor!: string | null;
  @ApiProperty(nullableText) model!: string | null;
  @ApiProperty(nullableText) version!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) problemId!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) validUntil!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Increases with every change; the ETag.',
  })
  revision!: number;
}

export class KnownErrorHitResponse extends KnownErrorResponse {
  @ApiPropertyOptional({
    type: 'number',
    minimum: 0,
    description: 'With `q` only: the full-text rank (higher is better).',
  })
  rank?: number;
}

export class KnownErrorPageResponse {
  @ApiProperty({ type: [KnownErrorHitResponse] }) items!: KnownErrorHitResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class KnownErrorOfferResponse extends KnownErrorResponse {
  @ApiProperty({
    type: [String],
    enum: ['ci', 'category', 'text'],
    description:
      'Why it is offered: it shares a CI with the incident, is of its category, and/or its text matches the incident’s title and description.',
  })
  matchedBy!: string[];

  @ApiProperty({
    type: 'number',
    minimum: 0,
    description:
      'Higher is better: 2 for a shared CI, 1 for the category, under 1 for the text match.',
  })
  score!: number;
}

export class KnownErrorOffersResponse {
  @ApiProperty({ type: [KnownErrorOfferResponse], description: 'Best first.' })
  items!: KnownErrorOfferResponse[];
}
