import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { IMPACT_DIRECTIONS, type ImpactDirection } from '../../domain/impact-traversal';

export class ImpactQuery {
  @ApiPropertyOptional({
    enum: IMPACT_DIRECTIONS,
    default: 'upstream',
    description: 'upstream: what depends on the CI (transitively); downstream: what it depends on.',
  })
  @IsOptional()
  @IsIn(IMPACT_DIRECTIONS)
  direction: ImpactDirection = 'upstream';

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 50,
    default: 3,
    description:
      "At most the service's `CMDB_IMPACT_MAX_DEPTH` (10 unless configured, never above 50): a deeper walk is refused with 400 naming `depth`.",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  depth: number = 3;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      "How many of the CIs reached to list, nearest first (the service's `CMDB_IMPACT_DEFAULT_LIMIT`, 1000 unless configured, when absent). At most `CMDB_IMPACT_MAX_CIS` (20000 unless configured): above it, 400 naming `limit`. `reachedCount` and `businessServices` cover every CI reached, whatever the limit.",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;
}

export class ImpactRequest extends ImpactQuery {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID(undefined, { each: true })
  ciIds!: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 1000,
    description:
      'List only these CIs: `items` and `businessServices` hold those of them the walk reached (nearest first, at most `limit`, which then defaults to how many are given); `reachedCount`, `withheldCount` and `truncated` still describe the whole walk.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID(undefined, { each: true })
  among?: string[];
}

export class ImpactedCiResponse {
  @ApiProperty({ format: 'uuid' })
  ciId!: string;

  @ApiProperty()
  class!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  status!: string;

  @ApiProperty({ type: 'integer', nullable: true })
  criticality!: number | null;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Steps from the nearest start CI.' })
  distance!: number;

  @ApiProperty({
    type: [String],
    description:
      'One shortest path of CI ids, from a start CI to this one; a restricted CI you may not see is the step `restricted`.',
  })
  path!: string[];
}

export class ImpactResponse {
  @ApiProperty({ type: [String] })
  ciIds!: string[];

  @ApiProperty({ enum: IMPACT_DIRECTIONS })
  direction!: ImpactDirection;

  @ApiProperty({ type: 'integer' })
  depth!: number;

  @ApiProperty({ type: 'integer', description: 'The most items answered.' })
  limit!: number;

  @ApiProperty({
    description: 'True when the cap on reached CIs (CMDB_IMPACT_MAX_CIS) stopped the walk early.',
  })
  truncated!: boolean;

  @ApiProperty({
    type: 'integer',
    description:
      'How many CIs the walk reached (start CIs excluded): more than `items` holds when `limit` cut the list.',
  })
  reachedCount!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description:
      'How many of the CIs reached are restricted ones you may not see: counted in `reachedCount`, never listed; in a path each shows as the step `restricted`.',
  })
  withheldCount!: number;

  @ApiProperty({
    type: [ImpactedCiResponse],
    description:
      'The nearest CIs reached, at most `limit`, nearest first; start CIs are not listed.',
  })
  items!: ImpactedCiResponse[];

  @ApiProperty({
    type: [ImpactedCiResponse],
    description:
      'Every business service reached, also beyond `limit`, most critical first, each with its distance and path.',
  })
  businessServices!: ImpactedCiResponse[];
}
