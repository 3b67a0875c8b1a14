import { type CiStatus } from '../../domain/ci';
import { CiIdentifiersDto } from './ci-identifiers.dto';
import { CiField } from './ci-values';

export class CreateCiDto {
  @CiField.class()
  class!: string;

  @CiField.name()
  name!: string;

  @CiField.status()
  status?: CiStatus;

  @CiField.nullableText('production')
  environment?: string | null;

  @CiField.nullableText('database')
  ownerGroup?: string | null;

  @CiField.restricted()
  restricted?: boolean;

  @CiField.criticality()
  criticality?: number | null;

  @CiField.identifiers()
  identifiers?: CiIdentifiersDto;

  @CiField.attributes(
    "Validated against the class's attribute schema (its own and inherited attributes).",
  )
  attributes?: Record<string, unknown>;
}
