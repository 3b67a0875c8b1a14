import { Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The current relationships as "depends on" facts (see dependencyEdgesOf), the only table
 * impact analysis reads. Indexed both ways so that each level of a walk, upstream or
 * downstream, is one index-only scan.
 */
@Entity({ name: 'ci_dependencies' })
@Index('IDX_ci_dependencies_dependency_dependent', ['dependencyId', 'dependentId'])
export class CiDependencyEntity {
  @PrimaryColumn({
    name: 'dependent_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_ci_dependencies',
  })
  dependentId!: string;

  @PrimaryColumn({
    name: 'dependency_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_ci_dependencies',
  })
  dependencyId!: string;

  @PrimaryColumn({
    name: 'relationship_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_ci_dependencies',
  })
  relationshipId!: string;
}
