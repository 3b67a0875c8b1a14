import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';

/** `asOf`: read the record as it was at this time (ISO 8601). */
export class AsOfQuery {
  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    description: 'Read as it was at this time.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  asOf?: Date;
}
