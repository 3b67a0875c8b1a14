import { PartialType, PickType } from '@nestjs/swagger';
import { CreateIncidentDto } from './create-incident.dto';

/** A partial change (merge semantics): the fields a create takes, each optional; absent ones keep their value. */
export class UpdateIncidentDto extends PartialType(
  PickType(CreateIncidentDto, ['title', 'description', 'impact', 'urgency'] as const),
) {}
