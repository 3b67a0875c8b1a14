import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { BooleanQuery, PageQuery } from '@itsm/platform';
import { DEFAULT_OFFER_LIMIT, MAX_OFFER_LIMIT } from '../../domain/known-error-offers';

/** The known-error search; every filter given narrows it. */
export class SearchKnownErrorsQuery extends PageQuery {
  @ApiPropertyOptional({
    maxLength: 500,
    description:
      'Full-text search (web search syntax: words, "phrases", -not, or) over title, symptom and error code (strongest), workaround and root cause, then solution. Ranked best first; each item then carries its `rank`.',
    example: 'outlook vpn disconnected',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A configuration item among the ones it concerns.',
  })
  @IsOptional()
  @IsUUID()
  ciId?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'The CMDB class, exactly.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ciClass?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'The error code, exactly, ignoring case.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  errorCode?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'The category, exactly.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The problem it was recorded from.' })
  @IsOptional()
  @IsUUID()
  problemId?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description: 'Also known errors past their validUntil.',
  })
  @IsOptional()
  @BooleanQuery()
  @IsIn([true, false])
  includeExpired?: boolean;
}

export class OffersQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_OFFER_LIMIT,
    default: DEFAULT_OFFER_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_OFFER_LIMIT)
  limit: number = DEFAULT_OFFER_LIMIT;
}
