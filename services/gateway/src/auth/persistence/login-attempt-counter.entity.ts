import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Login attempts counted per username or per client address, shared by every gateway
 * replica and kept across restarts, so neither more replicas nor a restart gives an
 * attacker more guesses.
 */
@Entity({ name: 'login_attempt_counters' })
export class LoginAttemptCounterEntity {
  /** `user:<username in lower case>` or `address:<client address>`. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_login_attempt_counters' })
  key!: string;

  /** Attempts in the window that have not (yet) succeeded. */
  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
