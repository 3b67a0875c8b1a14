import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type CiEventV1, type ItsmCloudEvent } from '@itsm/contracts';
import { nextSequenceValue } from '@itsm/persistence';
import { type EntityManager } from 'typeorm';
import { ApprovalRequests } from '../../approvals/application/approval-requests';
import { ChangeWriter } from '../../changes/application/change-writer';
import { openChange, type Change } from '../../changes/domain/change';
import { ChangesRepository } from '../../changes/persistence/changes.repository';
import { RiskAssessor } from '../../risk/application/risk-assessor';
import { ChangeTaskWriter } from '../../tasks/application/change-task-writer';
import {
  SYSTEM_ACTOR,
  asDetected,
  burstNote,
  considerCiUpdate,
  inSameBurst,
  judge,
  unauthorizedChangeInput,
  withBurstUpdate,
  type CiUpdate,
  type DetectionPolicy,
} from '../domain/unauthorized-change';
import { ChangesOnCiRepository } from '../persistence/changes-on-ci.repository';
import { UNAUTHORIZED_CHANGE_POLICY } from '../unauthorized.config';

/** What one CMDB update led to; the consumer's log and the tests read it. */
export type DetectionOutcome =
  | { kind: 'ignored'; reason: 'bookkeeping_only' | 'too_old' }
  | { kind: 'authorised'; by: string }
  | { kind: 'joined'; change: string }
  | { kind: 'opened'; change: string };

/**
 * Unauthorised changes (docs/changes.md): a CMDB update of a CI itself that no change on
 * the CI explains opens an emergency change marked unauthorised, in review with its review
 * task; further updates of the same burst are work notes on it. Runs in the inbox's
 * transaction, so each CMDB event counts once.
 */
@Injectable()
export class UnauthorizedChangeDetector {
  private readonly logger = new Logger(UnauthorizedChangeDetector.name);
  private tooOld = 0;

  constructor(
    private readonly onCi: ChangesOnCiRepository,
    private readonly changes: ChangesRepository,
    private readonly writer: ChangeWriter,
    private readonly tasks: ChangeTaskWriter,
    private readonly approvals: ApprovalRequests,
    private readonly risk: RiskAssessor,
    @Inject(UNAUTHORIZED_CHANGE_POLICY) private readonly policy: DetectionPolicy,
  ) {}

  async onCiUpdated(
    manager: EntityManager,
    event: ItsmCloudEvent<CiEventV1>,
  ): Promise<DetectionOutcome> {
    const now = new Date();
    const considered = considerCiUpdate(event.data, new Date(event.time), this.policy, now);
    if (considered.kind === 'ignored') {
      if (considered.reason === 'too_old') this.reportTooOld(event);
      return considered;
    }
    const update = considered.update;
    await this.onCi.lockCi(manager, update.ciId);
    const candidates = await this.onCi.candidates(
      manager,
      update.ciId,
      new Date(update.at.getTime() - this.policy.graceMs),
    );
    const verdict = judge(update, candidates, this.policy);
    if (verdict.kind === 'authorised') return { kind: 'authorised', by: verdict.by.number };
    if (verdict.kind === 'same_burst') {
      const joined = await this.join(manager, verdict.change.id, update, now);
      if (joined) return { kind: 'joined', change: joined.number };
    }
    const opened = await this.open(manager, update, now);
    this.logger.log(
      `${opened.number} opened: unauthorised change of CI ${update.ciId} at ${update.at.toISOString()} (${update.fields.map((field) => field.field).join(', ')})`,
    );
    return { kind: 'opened', change: opened.number };
  }

  /**
   * Says that updates went unjudged (after an outage longer than the maximum age, or a
   * first start over a retained topic), once and then every thousandth, not once each.
   */
  private reportTooOld(event: ItsmCloudEvent<CiEventV1>): void {
    this.tooOld += 1;
    if (this.tooOld % 1000 !== 1) return;
    this.logger.warn(
      `CMDB update ${event.id} of CI ${event.subject} at ${event.time} is older than CHANGE_UNAUTHORIZED_MAX_AGE and was not judged (${this.tooOld} so far since start)`,
    );
  }

  private async open(manager: EntityManager, update: CiUpdate, now: Date): Promise<Change> {
    const sequence = await nextSequenceValue(manager, 'change_number_seq');
    const detected = asDetected(
      openChange(unauthorizedChangeInput(update), { id: randomUUID(), sequence }, now),
      update.at,
    );
    // Its risk tells the reviewer what the change could reach (the blast radius of the CI).
    const assessed: Change = { ...detected, ...(await this.risk.assess(manager, detected, now)) };
    // The emergency CAB authorises it after the fact, or rejects it for the review to record.
    // Only the approval is taken: a policy needing none must not schedule what already happened.
    const { approval } = await this.approvals.request(manager, assessed, now);
    const change: Change = { ...assessed, approval };
    await this.writer.create(manager, change, SYSTEM_ACTOR);
    await this.tasks.createReviewTask(manager, change, SYSTEM_ACTOR, now);
    return change;
  }

  /** Adds the update to the burst's change; null when the change left review meanwhile. */
  private async join(
    manager: EntityManager,
    changeId: string,
    update: CiUpdate,
    now: Date,
  ): Promise<Change | null> {
    const current = await this.changes.findForUpdate(manager, changeId);
    if (!current || !inSameBurst(current, update.at, this.policy.burstWindowMs)) return null;
    return this.writer.commit(
      manager,
      current,
      withBurstUpdate(current, update.at),
      SYSTEM_ACTOR,
      now,
      [{ kind: 'work_note', text: burstNote(update), author: SYSTEM_ACTOR }],
    );
  }
}
