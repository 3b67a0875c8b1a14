import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { type Weekday, type WorkingInterval } from '../domain/business-calendar';

@Entity({ name: 'business_calendars' })
@Unique('UQ_business_calendars_name', ['name'])
export class BusinessCalendarEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_business_calendars' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'working_hours', type: 'jsonb' })
  workingHours!: Partial<Record<Weekday, WorkingInterval[]>>;

  /** `YYYY-MM-DD` dates in the calendar's zone. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  holidays!: string[];

  /** The seeded `24x7` calendar: it cannot be changed, since it is every definition's default. */
  @Column({ name: 'built_in', type: 'boolean', default: false })
  builtIn!: boolean;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
