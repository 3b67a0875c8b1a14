import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Known errors: a problem's symptom, root cause and workaround, kept for the service desk
 * to find by CI, class, error code, category and text. The GIN indexes (CIs, search) are
 * created in the migration, as TypeORM cannot describe them.
 */
@Entity({ name: 'known_errors' })
@Index('IX_known_errors_created', ['createdAt', 'id'])
// On lower(error_code), as the search compares it (migration 1764810000000).
@Index('IX_known_errors_error_code', { synchronize: false })
@Index('IX_known_errors_ci_class', ['ciClass'], { where: '"ci_class" IS NOT NULL' })
@Index('IX_known_errors_category', ['category'], { where: '"category" IS NOT NULL' })
@Index('IX_known_errors_problem', ['problemId'], { where: '"problem_id" IS NOT NULL' })
@Index('IX_known_errors_ci_ids', { synchronize: false })
@Index('IX_known_errors_search', { synchronize: false })
export class KnownErrorEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_known_errors' })
  id!: string;

  @Index('UQ_known_errors_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  symptom!: string;

  @Column({ name: 'root_cause', type: 'text', nullable: true })
  rootCause!: string | null;

  @Column({ type: 'text', nullable: true })
  workaround!: string | null;

  @Column({ type: 'text', nullable: true })
  solution!: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ name: 'ci_ids', type: 'uuid', array: true, default: () => "'{}'" })
  ciIds!: string[];

  @Column({ name: 'ci_class', type: 'text', nullable: true })
  ciClass!: string | null;

  @Column({ type: 'text', nullable: true })
  vendor!: string | null;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ type: 'text', nullable: true })
  version!: string | null;

  @Column({ name: 'problem_id', type: 'uuid', nullable: true })
  problemId!: string | null;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil!: Date | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  revision!: number;

  /** Title, symptom, root cause, workaround, solution and error code, weighted; written by the repository, never read. */
  @Column({
    name: 'search_document',
    type: 'tsvector',
    nullable: true,
    select: false,
    insert: false,
    update: false,
  })
  searchDocument!: string | null;
}
