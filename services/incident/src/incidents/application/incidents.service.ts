import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, type IncidentCreatedV1 } from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { NotFoundProblem } from '@itsm/platform';
import { FIELDS_SET_ON_OPEN, openIncident, type OpenIncident } from '../domain/incident';
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
        type: EventTypes.incidentCreated,
        subject: incident.id,
        data: { incident: view, changedFields: [...FIELDS_SET_ON_OPEN] },
      });
      return view;
    });
  }

  async get(id: string): Promise<IncidentView> {
    const incident = await this.incidents.findById(id);
    if (!incident) throw new NotFoundProblem('Incident', id);
    return toSnapshot(incident);
  }
}
