import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  EventTypes,
  Topics,
  type IncidentCreatedV1,
  type IncidentUpdatedV1,
} from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { canSeeRecord, type Caller } from '@itsm/auth';
import { NotFoundProblem, PreconditionFailedProblem } from '@itsm/platform';
import {
  FIELDS_SET_ON_OPEN,
  changeIncident,
  openIncident,
  type IncidentChanges,
  type OpenIncident,
} from '../domain/incident';
import { IncidentsRepository } from '../persistence/incidents.repository';
import { toSnapshot } from './incident-view';

export type IncidentView = ReturnType<typeof toSnapshot>;

@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly incidents: IncidentsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Records the incident and its `created` event in one transaction. */
  async open(command: OpenIncident): Promise<IncidentView> {
    return this.dataSource.transaction(async (manager) => {
      const sequence = await this.incidents.nextSequence(manager);
      const incident = openIncident(command, { id: randomUUID(), sequence }, new Date());
      await this.incidents.insert(manager, incident);
      const view = toSnapshot(incident);
      await this.outbox.append<IncidentCreatedV1>(manager, {
        topic: Topics.incidentEvents,
        type: EventTypes.incident.created,
        subject: incident.id,
        data: { incident: view, changedFields: [...FIELDS_SET_ON_OPEN], previous: {} },
      });
      return view;
    });
  }

  /** An incident the caller may not see is answered as not found, so its existence does not leak. */
  async get(id: string, caller: Caller): Promise<IncidentView> {
    const incident = await this.incidents.findById(id);
    if (!incident || !canSeeRecord(caller, incident)) throw new NotFoundProblem('Incident', id);
    return toSnapshot(incident);
  }

  /**
   * Changes an incident the caller read at `expectedVersion`; 412 when it has moved on
   * since. An update that changes nothing answers the incident as it is and emits nothing.
   */
  async change(
    id: string,
    changes: IncidentChanges,
    expectedVersion: number,
    caller: Caller,
  ): Promise<IncidentView> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.incidents.findForUpdate(manager, id);
      if (!current || !canSeeRecord(caller, current)) throw new NotFoundProblem('Incident', id);
      if (current.version !== expectedVersion) throw new PreconditionFailedProblem(current.version);
      const { incident, changedFields } = changeIncident(current, changes, new Date());
      const view = toSnapshot(incident);
      if (changedFields.length === 0) return view;
      await this.incidents.save(manager, incident);
      await this.outbox.append<IncidentUpdatedV1>(manager, {
        topic: Topics.incidentEvents,
        type: EventTypes.incident.updated,
        subject: incident.id,
        data: { incident: view, changedFields, previous: {} },
      });
      return view;
    });
  }
}
