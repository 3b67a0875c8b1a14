import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Change } from '../../changes/domain/change';
import { CmdbImpactClient } from '../../cmdb/cmdb-impact.client';
import { ScheduleReader } from '../../conflicts/application/schedule-reader';
import { CHANGE_CONFIG, type ChangeConfig } from '../../config/change.config';
import { assessRisk, type RiskAssessment } from '../domain/risk-assessment';
import { type BlastRadius, type TemplateRisk } from '../domain/risk-facts';
import { questionnaireFor } from '../domain/risk-questionnaire';
import { GroupRecordsRepository } from '../persistence/group-records.repository';

/** What the assessment sets on the change. */
export type AssessedRisk = Pick<Change, 'risk' | 'riskSource' | 'riskReasons' | 'riskAssessedAt'>;

/** What a change's facts alone cannot tell: known by other modules when they ask. */
export interface RiskContext {
  /** The published template a standard change came from. */
  template?: TemplateRisk | null;
  /**
   * From the schedule's maintenance windows, when the caller has just checked them (the
   * conflict check answers it); left out, the assessor reads the schedule itself.
   */
  outsideMaintenanceWindow?: boolean | null;
}

/**
 * Computes a change's risk from its facts (whether it is planned outside a maintenance
 * window among them, from the schedule), its questionnaire, the CMDB blast radius of its
 * CIs and services (read from the cmdb service, degraded when it does not answer in time)
 * and its assignment group's record, under the configured policy (docs/changes.md "Risk").
 */
@Injectable()
export class RiskAssessor {
  constructor(
    private readonly cmdb: CmdbImpactClient,
    private readonly groupRecords: GroupRecordsRepository,
    private readonly schedule: ScheduleReader,
    @Inject(CHANGE_CONFIG) private readonly config: ChangeConfig,
  ) {}

  async assess(
    manager: EntityManager,
    change: Change,
    now: Date,
    context: RiskContext = {},
  ): Promise<AssessedRisk> {
    const assessment = await this.assessment(manager, change, now, context);
    return {
      risk: assessment.risk,
      riskSource: assessment.source,
      riskReasons: assessment.reasons,
      riskAssessedAt: now,
    };
  }

  /** The whole assessment, each source with its reasons, and the questionnaire to answer. */
  async assessment(
    manager: EntityManager,
    change: Change,
    now: Date,
    context: RiskContext = {},
  ): Promise<RiskAssessment> {
    const [blastRadius, groupRecord, outsideMaintenanceWindow] = await Promise.all([
      this.blastRadius(change),
      change.assignmentGroup
        ? this.groupRecords.recordOf(
            manager,
            change.assignmentGroup,
            this.config.groupRecordLookBackMs,
            now,
          )
        : Promise.resolve(null),
      context.outsideMaintenanceWindow !== undefined
        ? Promise.resolve(context.outsideMaintenanceWindow)
        : this.schedule.outsideMaintenanceWindow(change),
    ]);
    return assessRisk(this.config.riskPolicy, {
      facts: {
        model: change.model,
        category: change.category,
        plannedStart: change.plannedStart,
        ciIds: change.ciIds,
        outsideMaintenanceWindow,
      },
      answers: change.riskAnswers,
      blastRadius,
      groupRecord,
      template: context.template ?? null,
      now,
    });
  }

  questionnaireOf(change: Change) {
    return questionnaireFor(this.config.riskPolicy, change);
  }

  /** The business services upstream of the change's CIs and of the services it names itself. */
  private async blastRadius(change: Change): Promise<BlastRadius> {
    const starts = [...new Set([...change.ciIds, ...change.businessServiceIds])];
    if (starts.length === 0) {
      return { status: 'known', businessServices: [], reachedCiCount: 0, truncated: false };
    }
    const read = await this.cmdb.upstreamBusinessServices(starts, this.config.blastRadiusDepth);
    if (read.degraded) return { status: 'unavailable', detail: read.reason };
    return {
      status: 'known',
      businessServices: read.value.businessServices.map((service) => ({
        id: service.ciId,
        name: service.name,
        criticality: service.criticality,
      })),
      reachedCiCount: read.value.reachedCount,
      truncated: read.value.truncated,
    };
  }
}
