import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { BooleanQuery, CommaList, PageQuery } from '@itsm/platform';
import { CI_STATUSES, type CiStatus } from '../../domain/ci';

/** A century: longer ago than any discovery import can have seen a CI. */
const MAX_STALE_DAYS = 36_500;
/** The most ids one list asks for: a URL of about 3.7 KB, well inside any proxy's limit. */
export const MAX_LISTED_IDS = 100;

export class CiListQuery extends PageQuery {
  @ApiPropertyOptional({
    type: 'string',
    description: `CI ids, comma-separated (at most ${MAX_LISTED_IDS}): a batch read of these CIs. Unknown ids, and restricted CIs the caller may not see, are left out.`,
    example: '0d6f3c1e-8a52-4b8e-9a43-3f1f5c9d2a10,5b1e0f7a-2c4d-4e9b-8f6a-1d2c3b4a5e6f',
  })
  @IsOptional()
  @CommaList()
  @ArrayMaxSize(MAX_LISTED_IDS)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({
    description: 'A class name; its subclasses are included.',
    example: 'server',
  })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  class?: string;

  @ApiPropertyOptional({ enum: CI_STATUSES })
  @IsOptional()
  @IsIn(CI_STATUSES)
  status?: CiStatus;

  @ApiPropertyOptional({ example: 'production' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  environment?: string;

  @ApiPropertyOptional({ example: 'database' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ownerGroup?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Only restricted (`true`) or only unrestricted (`false`) CIs.',
  })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  restricted?: boolean;

  @ApiPropertyOptional({ description: 'The start of the name, case-insensitive.', example: 'web' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  search?: string;

  @ApiPropertyOptional({
    description: 'Any identifier value: serial number, host name, FQDN, IP address or cloud id.',
    example: '10.0.0.12',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  identifier?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_STALE_DAYS,
    description: 'Only stale CIs: those a discovery import last saw more than this many days ago.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  // Unbounded, the cut-off date overflows (an invalid Date, a 500 from the query).
  @Max(MAX_STALE_DAYS)
  staleDays?: number;
}
