import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BooleanQuery, PageQuery } from '@itsm/platform';
import { CI_STATUSES, type CiStatus } from '../../domain/ci';

/** A century: longer ago than any discovery import can have seen a CI. */
const MAX_STALE_DAYS = 36_500;

export class CiListQuery extends PageQuery {
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
