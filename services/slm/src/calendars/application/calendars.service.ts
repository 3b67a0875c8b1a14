import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  ProblemException,
  ValidationProblem,
} from '@itsm/platform';
import { type WorkingInterval, type Weekday } from '../domain/business-calendar';
import { calendarErrors } from '../domain/calendar-validation';
import { type BusinessCalendarEntity } from '../persistence/business-calendar.entity';
import {
  CalendarsRepository,
  TWENTY_FOUR_SEVEN_ID,
  TWENTY_FOUR_SEVEN_NAME,
} from '../persistence/calendars.repository';

export interface CalendarInput {
  name: string;
  description?: string;
  timeZone: string;
  workingHours: Partial<Record<Weekday, WorkingInterval[]>>;
  holidays?: string[];
}

export interface CalendarView {
  id: string;
  name: string;
  description: string;
  timeZone: string;
  workingHours: Partial<Record<Weekday, WorkingInterval[]>>;
  holidays: string[];
  builtIn: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toCalendarView(entity: BusinessCalendarEntity): CalendarView {
  return {
    id: entity.id,
    name: entity.name,
    description: entity.description,
    timeZone: entity.timeZone,
    workingHours: entity.workingHours,
    holidays: entity.holidays,
    builtIn: entity.builtIn,
    version: entity.version,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/** `24x7` names the seeded calendar wherever a calendar id is expected. */
export function resolveCalendarId(idOrName: string): string {
  return idOrName === TWENTY_FOUR_SEVEN_NAME ? TWENTY_FOUR_SEVEN_ID : idOrName;
}

function withoutEmptyDays(
  workingHours: Partial<Record<Weekday, WorkingInterval[]>>,
): Partial<Record<Weekday, WorkingInterval[]>> {
  return Object.fromEntries(
    Object.entries(workingHours)
      .filter(([, intervals]) => intervals !== undefined && intervals.length > 0)
      .map(([day, intervals]) => [day, intervals.map(({ start, end }) => ({ start, end }))]),
  );
}

@Injectable()
export class CalendarsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calendars: CalendarsRepository,
  ) {}

  async create(input: CalendarInput): Promise<CalendarView> {
    const fields = {
      timeZone: input.timeZone,
      workingHours: withoutEmptyDays(input.workingHours),
      holidays: [...new Set(input.holidays ?? [])].sort(),
    };
    const errors = calendarErrors(fields);
    if (errors.length > 0) throw new ValidationProblem(errors);
    return this.dataSource.transaction(async (manager) => {
      if (await this.calendars.findByName(input.name, manager)) throw this.nameTaken(input.name);
      const id = randomUUID();
      await this.calendars.insert(manager, {
        id,
        name: input.name,
        description: input.description ?? '',
        ...fields,
      });
      const created = await this.calendars.findById(id, manager);
      return toCalendarView(created!);
    });
  }

  async get(idOrName: string): Promise<CalendarView> {
    const id = resolveCalendarId(idOrName);
    const calendar = isUUID(id) ? await this.calendars.findById(id) : null;
    if (!calendar) throw new NotFoundProblem('Calendar', idOrName);
    return toCalendarView(calendar);
  }

  async list(limit: number, afterName?: string): Promise<BusinessCalendarEntity[]> {
    return this.calendars.list(limit, afterName);
  }

  /**
   * Changes apply to every timer on the calendar from its next computation on: due times
   * are recomputed when a timer is next paused, resumed or re-targeted, elapsed time on read.
   */
  async change(
    idOrName: string,
    changes: Partial<CalendarInput>,
    expectedVersion: number,
  ): Promise<CalendarView> {
    const id = resolveCalendarId(idOrName);
    if (!isUUID(id)) throw new NotFoundProblem('Calendar', idOrName);
    return this.dataSource.transaction(async (manager) => {
      const current = await this.calendars.findForUpdate(manager, id);
      if (!current) throw new NotFoundProblem('Calendar', idOrName);
      if (current.builtIn)
        throw new ProblemException(
          409,
          'built-in-calendar',
          'The built-in calendar cannot be changed',
          'The 24x7 calendar is the default of every definition; create your own calendar instead.',
        );
      if (current.version !== expectedVersion) throw new PreconditionFailedProblem(current.version);
      const next = {
        timeZone: changes.timeZone ?? current.timeZone,
        workingHours: withoutEmptyDays(changes.workingHours ?? current.workingHours),
        holidays: [...new Set(changes.holidays ?? current.holidays)].sort(),
      };
      const errors = calendarErrors(next);
      if (errors.length > 0) throw new ValidationProblem(errors);
      if (changes.name !== undefined && changes.name !== current.name) {
        if (await this.calendars.findByName(changes.name, manager))
          throw this.nameTaken(changes.name);
        current.name = changes.name;
      }
      current.description = changes.description ?? current.description;
      Object.assign(current, next);
      current.version += 1;
      return toCalendarView(await this.calendars.save(manager, current));
    });
  }

  private nameTaken(name: string): ProblemException {
    return new ProblemException(
      409,
      'conflict',
      'Name already taken',
      `A calendar named ${name} exists.`,
      {
        errors: [{ field: 'name', message: 'is already taken' }],
      },
    );
  }
}
