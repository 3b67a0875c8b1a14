import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { type Impact, type Urgency } from '../../domain/priority-matrix';

/** A partial change (JSON merge semantics): absent fields keep their value. */
export class UpdateIncidentDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  description?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3,
    description: '1 (high) .. 3 (low); the priority follows.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  impact?: Impact;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3,
    description: '1 (high) .. 3 (low); the priority follows.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  urgency?: Urgency;
}
