import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { INCIDENT_SOURCES, type IncidentSource } from '../../domain/incident';
import { type Impact, type Urgency } from '../../domain/priority-matrix';

/** Impact and urgency: 1 (high) .. 3 (low); the priority follows from the two. */
function PriorityLevel(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'integer',
      minimum: 1,
      maximum: 3,
      description: '1 (high) .. 3 (low); the priority follows.',
    }),
    IsInt(),
    Min(1),
    Max(3),
  );
}

export class CreateIncidentDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Mail is down' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ maxLength: 20000, example: 'No mail since 09:00' })
  @IsString()
  @MaxLength(20000)
  description!: string;

  @PriorityLevel()
  impact!: Impact;

  @PriorityLevel()
  urgency!: Urgency;

  @ApiPropertyOptional({ enum: INCIDENT_SOURCES, default: 'portal' })
  @IsOptional()
  @IsIn(INCIDENT_SOURCES)
  source?: IncidentSource;
}
