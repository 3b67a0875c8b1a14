import { ApiProperty } from '@nestjs/swagger';
import { INCIDENT_SOURCES, type IncidentSource, type IncidentState } from '../../domain/incident';
import { type Priority } from '../../domain/priority-matrix';

// Records keyed by the domain's union types: a value added there must be added here.
const STATES: Record<IncidentState, true> = {
  new: true,
  in_progress: true,
  on_hold: true,
  resolved: true,
  closed: true,
  cancelled: true,
};
const PRIORITIES: Record<Priority, true> = { P1: true, P2: true, P3: true, P4: true, P5: true };

/** An incident as the API answers it (and as its events carry it). Documentation only. */
export class IncidentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ pattern: '^INC[0-9]{7}$', example: 'INC0001001' })
  number!: string;

  @ApiProperty({ enum: ['incident'] })
  type!: 'incident';

  @ApiProperty({ minLength: 1, maxLength: 200 })
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'Who reported it: the caller that opened it.' })
  requester!: string;

  @ApiProperty({ enum: INCIDENT_SOURCES })
  source!: IncidentSource;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3, description: '1 (high) .. 3 (low).' })
  impact!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3, description: '1 (high) .. 3 (low).' })
  urgency!: number;

  @ApiProperty({
    enum: Object.keys(PRIORITIES),
    description: 'From impact and urgency (the priority matrix).',
  })
  priority!: Priority;

  @ApiProperty({ enum: Object.keys(STATES) })
  state!: IncidentState;

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Increases with every change of the record.',
  })
  version!: number;
}
