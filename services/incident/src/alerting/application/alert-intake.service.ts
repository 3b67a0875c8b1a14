import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type IncidentState } from '@itsm/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { INCIDENT_CONFIG, type IncidentConfig } from '../../config/incident.config';
import { AssignmentDirectory } from '../../directory/application/assignment-directory';
import { answeringDomainErrors } from '@itsm/platform';
import { RecordWriter, type JournalDraft } from '../../records/application/record-writer';
import { RuleViolation } from '@itsm/domain';
import {
  openRecord,
  routedToTriage,
  type ServiceRecord,
} from '../../records/domain/service-record';
import {
  applyTransition,
  resolveFromOutside,
  type ResolutionCode,
} from '../../records/domain/state-machine';
import { RecordsRepository } from '../../records/persistence/records.repository';
import { ALERT_POLICY } from '../alerting.config';
import { decideAlertAction, type AlertAction } from '../domain/alert-decision';
import {
  alertExternalRef,
  type AlertIncidentDraft,
  type AlertPolicy,
} from '../domain/alert-policy';
import { type AlertmanagerAlert, type AlertmanagerPayload } from '../domain/alertmanager-payload';

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What became of one alert of a notification. */
export interface AlertOutcome {
  fingerprint: string;
  status: 'firing' | 'resolved';
  action: AlertAction['kind'];
  incidentId: string | null;
  incidentNumber: string | null;
}

/**
 * Turns Alertmanager notifications into incidents: one per alert fingerprint (its
 * external reference), notes on repeats, a note or a resolution when it resolves. A
 * notification is applied in one transaction, its alerts under locks on their
 * fingerprints: two deliveries of one alert (retries, an HA pair) never open two
 * incidents, and a notification that fails changes nothing, so Alertmanager's retry of
 * it applies each of its alerts once, not the first ones twice.
 */
@Injectable()
export class AlertIntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: RecordsRepository,
    private readonly writer: RecordWriter,
    private readonly directory: AssignmentDirectory,
    @Inject(ALERT_POLICY) private readonly policy: AlertPolicy,
    @Inject(INCIDENT_CONFIG) private readonly config: IncidentConfig,
  ) {}

  /** The outcomes in the notification's order of alerts. */
  async receive(payload: AlertmanagerPayload, actor: string): Promise<AlertOutcome[]> {
    // Fingerprints are locked in one order, so two notifications sharing alerts cannot deadlock.
    const inLockOrder = payload.alerts
      .map((alert, position) => ({ alert, position }))
      .sort((a, b) => compareCodeUnits(a.alert.fingerprint, b.alert.fingerprint));
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const outcomes: AlertOutcome[] = new Array<AlertOutcome>(payload.alerts.length);
        for (const { alert, position } of inLockOrder)
          outcomes[position] = await this.apply(manager, alert, payload.externalURL, actor);
        return outcomes;
      }),
    );
  }

  private async apply(
    manager: EntityManager,
    alert: AlertmanagerAlert,
    alertmanagerUrl: string,
    actor: string,
  ): Promise<AlertOutcome> {
    const externalRef = alertExternalRef(alert.fingerprint);
    await this.records.lockExternalRef(manager, externalRef);
    const linked = await this.records.findLatestByExternalRefForUpdate(manager, externalRef);
    const action = decideAlertAction(
      alert,
      linked && { id: linked.id, state: linked.state as IncidentState, openedAt: linked.openedAt },
      this.policy,
      alertmanagerUrl,
    );
    const now = new Date();
    const note = (text: string): JournalDraft[] => [{ kind: 'work_note', text, author: actor }];
    let incident: ServiceRecord | null = linked;
    switch (action.kind) {
      case 'open':
        incident = await this.open(manager, action.incident, actor, now);
        break;
      case 'note':
        await this.writer.commit(
          manager,
          linked as ServiceRecord,
          linked as ServiceRecord,
          actor,
          now,
          note(action.note),
        );
        break;
      case 'reopen': {
        const current = linked as ServiceRecord;
        const reopened = applyTransition(current, { to: 'in_progress', reason: action.note }, now);
        incident = await this.writer.commit(
          manager,
          current,
          reopened,
          actor,
          now,
          note(action.note),
        );
        break;
      }
      case 'resolve': {
        const current = linked as ServiceRecord;
        const resolved = resolveFromOutside(
          current,
          {
            resolutionCode: action.resolutionCode as ResolutionCode,
            resolutionNotes: action.resolutionNotes,
          },
          now,
        );
        incident = await this.writer.commit(
          manager,
          current,
          resolved,
          actor,
          now,
          note(action.resolutionNotes),
        );
        await this.writer.resolveChildrenOf(manager, current, incident, actor, now);
        break;
      }
      case 'ignore':
        break;
    }
    return {
      fingerprint: alert.fingerprint,
      status: alert.status,
      action: action.kind,
      incidentId: incident?.id ?? null,
      incidentNumber: incident?.number ?? null,
    };
  }

  /**
   * Opens the alert's incident. One whose labels and the webhook's settings name no group
   * goes to the triage group; so does one whose group is not in the directory, with a
   * note why.
   */
  private async open(
    manager: EntityManager,
    draft: AlertIncidentDraft,
    actor: string,
    now: Date,
  ): Promise<ServiceRecord> {
    const journal: JournalDraft[] = [];
    let assignmentGroup = draft.assignmentGroup;
    try {
      await this.directory.check(manager, assignmentGroup, null);
    } catch (error) {
      if (!(error instanceof RuleViolation)) throw error;
      journal.push({
        kind: 'work_note',
        text: `Sent to ${this.config.triageGroup} for triage: the alert's group ${error.reason}.`,
        author: actor,
      });
      assignmentGroup = null;
    }
    const sequence = await this.records.nextSequence(manager, 'incident');
    const record = openRecord(
      routedToTriage(
        { ...draft, type: 'incident', requester: actor, assignmentGroup },
        this.config.triageGroup,
      ),
      { id: randomUUID(), sequence },
      now,
      this.config.priorityMatrix,
    );
    await this.writer.create(manager, record, actor, journal);
    return record;
  }
}
