import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreateThresholdDto } from './threshold.dto';

class ThresholdEvaluationResponse {
  @ApiProperty({ format: 'date-time' })
  periodStart!: string;

  @ApiProperty({ format: 'date-time' })
  periodEnd!: string;

  @ApiProperty({ enum: ['beyond', 'within'] })
  side!: string;

  @ApiProperty()
  value!: number;

  @ApiProperty({ description: 'Crossings told in the period.' })
  crossings!: number;

  @ApiProperty({ format: 'date-time' })
  evaluatedAt!: string;
}

/** Documentation only: the threshold as the API answers it. */
export class ThresholdResponse extends CreateThresholdDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  declare enabled: boolean;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty()
  version!: number;

  @ApiPropertyOptional({ type: ThresholdEvaluationResponse, nullable: true })
  lastEvaluation!: ThresholdEvaluationResponse | null;
}

export class ThresholdListResponse {
  @ApiProperty({ type: [ThresholdResponse] })
  items!: ThresholdResponse[];
}
