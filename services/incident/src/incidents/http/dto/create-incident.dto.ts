import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { INCIDENT_SOURCES, type IncidentSource } from '../../domain/incident';
import { type Impact, type Urgency } from '../../domain/priority-matrix';

export class CreateIncidentDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @IsString()
  @MaxLength(20000)
  description!: string;

  /** 1 (high) .. 3 (low). */
  @IsInt()
  @Min(1)
  @Max(3)
  impact!: Impact;

  /** 1 (high) .. 3 (low). */
  @IsInt()
  @Min(1)
  @Max(3)
  urgency!: Urgency;

  @IsOptional()
  @IsIn(INCIDENT_SOURCES)
  source?: IncidentSource;
}
