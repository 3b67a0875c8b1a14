import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateCiDto } from './create-ci.dto';

/**
 * A partial change (merge semantics): absent fields keep their value; within `attributes`
 * and `identifiers` each key given replaces that one value, and null removes it. The
 * class cannot change.
 */
export class UpdateCiDto extends PartialType(OmitType(CreateCiDto, ['class'] as const)) {}
