import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Caller } from '@itsm/auth';
import { EventTypes } from '@itsm/contracts';
import { RecordConflict } from '@itsm/domain';
import { answeringDomainErrors, toHttpProblem } from '@itsm/platform';
import { DataSource } from 'typeorm';
import { evaluateApprovals } from '../../approvals/domain/approval-round';
import { ApprovalRoundsRepository } from '../../approvals/persistence/approval-rounds.repository';
import { ChangeWriter } from '../../changes/application/change-writer';
import { type ChangeView } from '../../changes/application/change-view';
import { ChangesService } from '../../changes/application/changes.service';
import { type Change } from '../../changes/domain/change';
import { ScheduleReader } from '../../conflicts/application/schedule-reader';
import { stepsFor, type DeploymentReport } from '../domain/deployment';
import { decideGate, type GateAnswer } from '../domain/gate';
import { GateDecisionEntity } from '../persistence/gate-decision.entity';

export interface GateView extends GateAnswer {
  changeId: string;
  number: string;
  state: Change['state'];
  decidedAt: string;
}

/**
 * What a CI/CD pipeline does with its change: asks its gate (each new decision is
 * announced once, `gate_decided`), and reports its deployment, whose start and end move
 * the change through implement and review and set its actual times and close code.
 */
@Injectable()
export class PipelineService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: ChangesService,
    private readonly writer: ChangeWriter,
    private readonly rounds: ApprovalRoundsRepository,
    private readonly schedule: ScheduleReader,
  ) {}

  async gate(id: string): Promise<GateView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const change = await this.changes.lockFound(manager, id);
        const now = new Date();
        const answer = await this.answer(change, now);
        const last = await manager.getRepository(GateDecisionEntity).findOneBy({ changeId: id });
        const unchanged =
          last?.decision === answer.decision &&
          last.reasons.length === answer.reasons.length &&
          last.reasons.every((reason, index) => reason === answer.reasons[index]);
        if (!unchanged) {
          await manager.getRepository(GateDecisionEntity).save({
            changeId: id,
            decision: answer.decision,
            reasons: answer.reasons,
            decidedAt: now,
          });
          await this.writer.announce(manager, change, EventTypes.change.gateDecided, {
            decision: answer.decision,
            reasons: answer.reasons,
          });
        }
        return {
          changeId: change.id,
          number: change.number,
          state: change.state,
          ...answer,
          decidedAt: now.toISOString(),
        };
      }),
    );
  }

  /**
   * A deployment's start moves a scheduled change to implement, only when its gate allows
   * it; its end moves it to review with the outcome as close code, and on to closed when
   * no post-implementation review is required. A report repeated is answered with the
   * change as it stands, so that a pipeline may retry.
   */
  async report(id: string, report: DeploymentReport, caller: Caller): Promise<ChangeView> {
    const change = await this.changes.found(id);
    const now = new Date();
    // A start the gate does not allow is answered with the gate's reasons, whatever the state.
    if (report.status === 'started' && change.state !== 'implement') {
      const answer = await this.answer(change, now);
      if (answer.decision !== 'allowed') {
        throw toHttpProblem(
          new RecordConflict(
            `The gate of ${change.number} is ${answer.decision}: ${answer.reasons.join(' ')}`,
            `GATE_${answer.decision.toUpperCase()}`,
          ),
        );
      }
    }
    const steps = await answeringDomainErrors(async () => stepsFor(change, report, now));
    let view = await this.changes.get(id);
    for (const step of steps) {
      view = await this.changes.transition(
        id,
        {
          ...step,
          actualStart: step.actualStart?.toISOString(),
          actualEnd: step.actualEnd?.toISOString(),
          plannedStart: undefined,
          plannedEnd: undefined,
        },
        undefined,
        caller,
      );
    }
    return view;
  }

  private async answer(change: Change, now: Date): Promise<GateAnswer> {
    const [{ conflicts }, rounds] = await Promise.all([
      this.schedule.conflictsOf(this.dataSource.manager, change),
      this.rounds.roundsOf(change.id),
    ]);
    const current = rounds.at(-1);
    const pending =
      current?.outcome === 'pending'
        ? evaluateApprovals(current.requirement, current.decisions).missing
        : null;
    return decideGate(change, {
      now,
      obstacles: conflicts
        .filter((conflict) => conflict.refused)
        .map((conflict) => ({ kind: conflict.kind, message: conflict.message })),
      pendingApproval: pending ?? undefined,
    });
  }
}
