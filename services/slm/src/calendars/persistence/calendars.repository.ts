import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { type BusinessCalendar } from '../domain/business-calendar';
import { BusinessCalendarEntity } from './business-calendar.entity';

/** The seeded calendar every definition defaults to: its id never changes. */
export const TWENTY_FOUR_SEVEN_ID = '0b8f0a52-247a-4c57-9d3e-000000024007';
export const TWENTY_FOUR_SEVEN_NAME = '24x7';

export function toBusinessCalendar(entity: BusinessCalendarEntity): BusinessCalendar {
  return {
    timeZone: entity.timeZone,
    workingHours: entity.workingHours,
    holidays: entity.holidays,
  };
}

@Injectable()
export class CalendarsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(BusinessCalendarEntity, { id });
  }

  async findForUpdate(manager: EntityManager, id: string) {
    return manager
      .getRepository(BusinessCalendarEntity)
      .createQueryBuilder('calendar')
      .setLock('pessimistic_write')
      .where('calendar.id = :id', { id })
      .getOne();
  }

  async findByName(name: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(BusinessCalendarEntity, { name });
  }

  /** The calendars with these ids, ready for arithmetic, by id. */
  async loadForArithmetic(
    ids: Iterable<string>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, BusinessCalendar>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await manager.findBy(BusinessCalendarEntity, { id: In(unique) });
    return new Map(rows.map((row) => [row.id, toBusinessCalendar(row)]));
  }

  /** A page in name order, after the given name. */
  async list(limit: number, afterName?: string): Promise<BusinessCalendarEntity[]> {
    const builder = this.dataSource
      .getRepository(BusinessCalendarEntity)
      .createQueryBuilder('calendar')
      .orderBy('calendar.name', 'ASC')
      .limit(limit);
    if (afterName !== undefined) builder.where('calendar.name > :afterName', { afterName });
    return builder.getMany();
  }

  async insert(manager: EntityManager, calendar: Partial<BusinessCalendarEntity>): Promise<void> {
    await manager.insert(BusinessCalendarEntity, calendar);
  }

  async save(
    manager: EntityManager,
    calendar: BusinessCalendarEntity,
  ): Promise<BusinessCalendarEntity> {
    return manager.save(BusinessCalendarEntity, calendar);
  }
}
