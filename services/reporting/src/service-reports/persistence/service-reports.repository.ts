import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canSeeConfigurationItem, type Caller } from '@itsm/auth';
import { qualifiedTable, quotedServiceSchema } from '@itsm/persistence';
import { ArchivedEventEntity } from '../../event-archive/persistence/archived-event.entity';
import { type AgreedAction, type ReportNotes } from '../domain/service-report';
import { ServiceReportActionEntity, ServiceReportNotesEntity } from './report-notes.entity';

export interface NewAction {
  description: string;
  owner: string | null;
  dueDate: string | null;
}

/** The review's notes and actions per service and period, and what a report reads besides KPIs. */
@Injectable()
export class ServiceReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async notes(serviceId: string, period: string): Promise<ReportNotes | null> {
    const row = await this.dataSource
      .getRepository(ServiceReportNotesEntity)
      .findOneBy({ serviceId, period });
    return row ? notesOf(row) : null;
  }

  async writeNotes(
    serviceId: string,
    period: string,
    text: string,
    author: string,
  ): Promise<ReportNotes> {
    const row: ServiceReportNotesEntity = {
      serviceId,
      period,
      text,
      updatedBy: author,
      updatedAt: new Date(),
    };
    await this.dataSource
      .getRepository(ServiceReportNotesEntity)
      .upsert(row, ['serviceId', 'period']);
    return notesOf(row);
  }

  async actions(serviceId: string, period: string): Promise<AgreedAction[]> {
    const rows = await this.dataSource
      .getRepository(ServiceReportActionEntity)
      .find({ where: { serviceId, period }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(actionOf);
  }

  async addAction(
    serviceId: string,
    period: string,
    action: NewAction,
    author: string,
  ): Promise<AgreedAction> {
    const row: ServiceReportActionEntity = {
      id: randomUUID(),
      serviceId,
      period,
      ...action,
      createdBy: author,
      createdAt: new Date(),
    };
    await this.dataSource.getRepository(ServiceReportActionEntity).insert(row);
    return actionOf(row);
  }

  /**
   * The business service's name from the CMDB read model, when the caller may see the CI;
   * null when it is unknown there (the report then names the service by its id).
   */
  async serviceName(serviceId: string, reader: Caller): Promise<string | null> {
    const rows = await this.dataSource.query<
      { name: string | null; restricted: boolean | null; owner_group: string | null }[]
    >(
      `SELECT name, restricted, owner_group FROM ${quotedServiceSchema(this.dataSource)}.ci_facts WHERE ci_id = $1`,
      [serviceId],
    );
    const ci = rows[0];
    if (
      !ci ||
      !canSeeConfigurationItem(reader, {
        restricted: ci.restricted === true,
        ownerGroup: ci.owner_group,
      })
    )
      return null;
    return ci.name;
  }

  /** The newest archived event's sequence: every read model a report reads is built from events up to about here. */
  async archiveSequence(): Promise<string> {
    const [row] = await this.dataSource.query<{ sequence: string }[]>(
      `SELECT COALESCE(max(sequence), 0)::text AS sequence FROM ${qualifiedTable(this.dataSource.getMetadata(ArchivedEventEntity))}`,
    );
    return row?.sequence ?? '0';
  }
}

function notesOf(row: ServiceReportNotesEntity): ReportNotes {
  return { text: row.text, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() };
}

function actionOf(row: ServiceReportActionEntity): AgreedAction {
  return {
    id: row.id,
    description: row.description,
    owner: row.owner,
    dueDate: row.dueDate,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
