import { type ChangeTemplateState } from '@itsm/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Standard change templates, one row each, summarising their versions (state, name and
 * the published and draft version numbers) so that lists and the template a new change
 * names are read without the versions. The list sorts by name; a catalogue holds hundreds,
 * so its text filter scans.
 */
@Entity({ name: 'change_templates' })
@Index('IX_change_templates_name', ['name', 'id'])
@Index('IX_change_templates_state_name', ['state', 'name', 'id'])
export class ChangeTemplateEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_change_templates' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  state!: ChangeTemplateState;

  @Column({ name: 'published_version', type: 'integer', nullable: true })
  publishedVersion!: number | null;

  @Column({ name: 'draft_version', type: 'integer', nullable: true })
  draftVersion!: number | null;

  @Column({ name: 'latest_version', type: 'integer' })
  latestVersion!: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  revision!: number;
}
