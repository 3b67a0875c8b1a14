import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan } from 'typeorm';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway.config';
import { addressKey, beginAttempt, userKey, type FailureLimit } from '../domain/login-attempts';
import { LoginAttemptCounterEntity } from '../persistence/login-attempt-counter.entity';

/** An admitted attempt, to report its outcome with. */
export interface LoginAttempt {
  userKey: string;
  addressKey: string;
}

export type Admission =
  { admitted: true; attempt: LoginAttempt } | { admitted: false; retryAfterSeconds: number };

/** Counters whose window and lockout ended this long ago are deleted, at most once per this interval per process. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * The login limits (see {@link beginAttempt}) kept in the gateway's schema, so they hold
 * across replicas and restarts. Both counters of an attempt are read and written under
 * row locks in one transaction, taken in key order, so parallel attempts queue rather
 * than each reading the count before the others wrote it.
 */
@Injectable()
export class LoginAttemptsService {
  private readonly userLimit: FailureLimit;
  private readonly addressLimit: FailureLimit;
  private lastPurge = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    const window = {
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
      lockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
    };
    this.userLimit = { ...window, maxFailures: config.LOGIN_MAX_FAILURES_PER_USER };
    this.addressLimit = { ...window, maxFailures: config.LOGIN_MAX_FAILURES_PER_ADDRESS };
  }

  async begin(username: string, address: string | undefined): Promise<Admission> {
    const attempt = { userKey: userKey(username), addressKey: addressKey(address) };
    const limits = new Map([
      [attempt.userKey, this.userLimit],
      [attempt.addressKey, this.addressLimit],
    ]);
    const keys = [...limits.keys()].sort();
    const decision = await this.dataSource.transaction(async (manager) => {
      // The database's clock, so that replicas whose clocks differ agree on windows and lockouts.
      const [{ now }] = await manager.query<[{ now: Date }]>('SELECT now() AS now');
      const counters = manager.getRepository(LoginAttemptCounterEntity);
      await counters
        .createQueryBuilder()
        .insert()
        .values(keys.map((key) => ({ key, failures: 0, windowStartedAt: now, lockedUntil: null })))
        .orIgnore()
        .execute();
      const rows = await counters.find({
        where: { key: In(keys) },
        order: { key: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const result = beginAttempt(
        rows.map((row) => ({ counter: row, limit: limits.get(row.key) as FailureLimit })),
        now,
      );
      await counters.save(rows.map((row, index) => ({ key: row.key, ...result.counters[index] })));
      return result;
    });
    await this.purgeNow();
    return decision.admitted
      ? { admitted: true, attempt }
      : { admitted: false, retryAfterSeconds: decision.retryAfterSeconds };
  }

  /**
   * A right password: the username's failures are forgiven (as OWASP advises), the
   * address's only for this attempt, so a valid account of its own does not let an
   * address go on guessing others'.
   */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.dataSource.query(
      `UPDATE "gateway"."login_attempt_counters"
          SET "failures" = CASE WHEN "key" = $1 THEN 0 ELSE GREATEST("failures" - 1, 0) END
        WHERE "key" IN ($1, $2)`,
      [attempt.userKey, attempt.addressKey],
    );
  }

  /** Counters of windows and lockouts long over are only stored space: an attacker trying many names must not grow the table for ever. */
  private async purgeNow(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = Date.now();
    const horizon = new Date(
      Date.now() -
        1000 *
          Math.max(this.config.LOGIN_FAILURE_WINDOW_SECONDS, this.config.LOGIN_LOCKOUT_SECONDS),
    );
    await this.dataSource
      .getRepository(LoginAttemptCounterEntity)
      .createQueryBuilder()
      .delete()
      .where({ windowStartedAt: LessThan(horizon) })
      .andWhere('("locked_until" IS NULL OR "locked_until" < :horizon)', { horizon })
      .execute();
  }
}
