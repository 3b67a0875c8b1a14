import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Incident } from '../domain/incident';
import { IncidentEntity } from './incident.entity';

/** Named queries on incidents; every write takes the caller's transaction. */
@Injectable()
export class IncidentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The next incident number, from a sequence: monotonic and never reused, even after a rollback. */
  async nextSequence(manager: EntityManager): Promise<number> {
    const schema = manager.connection.getMetadata(IncidentEntity).schema ?? 'public';
    const [row] = await manager.query<{ value: number }[]>(
      `SELECT nextval($1::regclass)::int AS value`,
      [`"${schema}".incident_number_seq`],
    );
    if (!row) throw new Error('the incident number sequence returned nothing');
    return row.value;
  }

  async insert(manager: EntityManager, incident: Incident): Promise<void> {
    await manager.insert(IncidentEntity, incident);
  }

  /** Locks the row for the rest of the caller's transaction, so concurrent updates queue rather than race. */
  async findForUpdate(manager: EntityManager, id: string): Promise<Incident | null> {
    return manager
      .getRepository(IncidentEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(manager: EntityManager, incident: Incident): Promise<void> {
    await manager.update(IncidentEntity, { id: incident.id }, incident);
  }

  async findById(id: string): Promise<Incident | null> {
    return this.dataSource.getRepository(IncidentEntity).findOneBy({ id });
  }
}
