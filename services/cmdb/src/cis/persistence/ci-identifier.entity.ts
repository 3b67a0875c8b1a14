import { Entity, Index, PrimaryColumn } from 'typeorm';
import { type IdentifierKind } from '../../ci-classes/domain/ci-class';

/**
 * Every identifier value of every CI (normalized), one row each: identification looks
 * values up by (value, kind), the `identifier=` filter by value alone.
 */
@Entity({ name: 'ci_identifiers' })
@Index('IDX_ci_identifiers_ci_id', ['ciId'])
export class CiIdentifierEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_ci_identifiers' })
  value!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_ci_identifiers' })
  kind!: IdentifierKind;

  @PrimaryColumn({ name: 'ci_id', type: 'uuid', primaryKeyConstraintName: 'PK_ci_identifiers' })
  ciId!: string;
}
