import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  type AttributeSchema,
  type FieldSourcePrecedence,
  type IdentifierKind,
} from '../domain/ci-class';

@Entity({ name: 'ci_classes' })
export class CiClassEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_ci_classes' })
  name!: string;

  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'text', nullable: true })
  parent!: string | null;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'boolean', default: false })
  abstract!: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes!: Record<string, AttributeSchema>;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  required!: string[];

  @Column({ name: 'identification_rules', type: 'text', array: true, nullable: true })
  identificationRules!: IdentifierKind[] | null;

  @Column({ name: 'source_precedence', type: 'jsonb', default: () => "'{}'" })
  sourcePrecedence!: FieldSourcePrecedence;

  @Column({ name: 'built_in', type: 'boolean', default: false })
  builtIn!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;
}
