import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  ValidationProblem,
  type FieldError,
} from '@itsm/platform';
import { resolveCalendarId } from '../../calendars/application/calendars.service';
import { CalendarsRepository } from '../../calendars/persistence/calendars.repository';
import {
  DEFAULT_CANCEL_STATES,
  DEFAULT_PAUSE_STATES,
  DEFAULT_START_STATES,
  DEFAULT_WARNING_THRESHOLDS,
  defaultStopCondition,
  parseTargetDuration,
  type SlaKind,
  type SlaRecordType,
  type SlaTarget,
} from '../domain/sla-definition';
import { type SlaDefinitionEntity } from '../persistence/sla-definition.entity';
import {
  SlaDefinitionsRepository,
  type DefinitionFilters,
} from '../persistence/sla-definitions.repository';

export interface SlaDefinitionInput {
  name: string;
  description?: string;
  kind?: SlaKind;
  target: SlaTarget;
  appliesTo?: {
    recordType?: SlaRecordType;
    priorities?: string[];
    businessServiceId?: string | null;
    category?: string | null;
    assignmentGroup?: string | null;
  };
  duration: string;
  calendarId?: string;
  pauseStates?: string[];
  warningThresholds?: number[];
  startCondition?: { states: string[] };
  stopCondition?: { states: string[]; onFirstResponse?: boolean };
  cancelCondition?: { states: string[] };
  active?: boolean;
}

export interface SlaDefinitionView {
  id: string;
  version: number;
  name: string;
  description: string;
  kind: string;
  target: string;
  appliesTo: {
    recordType: string;
    priorities: string[];
    businessServiceId: string | null;
    category: string | null;
    assignmentGroup: string | null;
  };
  duration: string;
  durationMs: number;
  calendarId: string;
  pauseStates: string[];
  warningThresholds: number[];
  startCondition: { states: string[] };
  stopCondition: { states: string[]; onFirstResponse: boolean };
  cancelCondition: { states: string[] };
  active: boolean;
  createdBy: string;
  createdAt: string;
  supersededAt: string | null;
}

export function toDefinitionView(entity: SlaDefinitionEntity): SlaDefinitionView {
  return {
    id: entity.id,
    version: entity.version,
    name: entity.name,
    description: entity.description,
    kind: entity.kind,
    target: entity.target,
    appliesTo: {
      recordType: entity.recordType,
      priorities: entity.priorities,
      businessServiceId: entity.businessServiceId,
      category: entity.category,
      assignmentGroup: entity.assignmentGroup,
    },
    duration: entity.duration,
    durationMs: entity.durationMs,
    calendarId: entity.calendarId,
    pauseStates: entity.pauseStates,
    warningThresholds: entity.warningThresholds,
    startCondition: { states: entity.startStates },
    stopCondition: { states: entity.stopStates, onFirstResponse: entity.stopOnFirstResponse },
    cancelCondition: { states: entity.cancelStates },
    active: entity.active,
    createdBy: entity.createdBy,
    createdAt: entity.createdAt.toISOString(),
    supersededAt: entity.supersededAt?.toISOString() ?? null,
  };
}

/** The stored columns of a complete input, defaults applied. */
function columnsOf(input: SlaDefinitionInput) {
  const stop = input.stopCondition ?? defaultStopCondition(input.target);
  return {
    name: input.name,
    description: input.description ?? '',
    kind: input.kind ?? 'sla',
    target: input.target,
    recordType: input.appliesTo?.recordType ?? 'incident',
    priorities: [...new Set(input.appliesTo?.priorities ?? [])].sort(),
    businessServiceId: input.appliesTo?.businessServiceId ?? null,
    category: input.appliesTo?.category ?? null,
    assignmentGroup: input.appliesTo?.assignmentGroup ?? null,
    duration: input.duration,
    calendarId: resolveCalendarId(input.calendarId ?? '24x7'),
    pauseStates: input.pauseStates ?? DEFAULT_PAUSE_STATES,
    warningThresholds: [...new Set(input.warningThresholds ?? DEFAULT_WARNING_THRESHOLDS)].sort(
      (a, b) => a - b,
    ),
    startStates: input.startCondition?.states ?? DEFAULT_START_STATES,
    stopStates: stop.states,
    stopOnFirstResponse: stop.onFirstResponse ?? false,
    cancelStates: input.cancelCondition?.states ?? DEFAULT_CANCEL_STATES,
    active: input.active ?? true,
  };
}

function inputOf(entity: SlaDefinitionEntity): SlaDefinitionInput {
  const view = toDefinitionView(entity);
  return {
    ...view,
    kind: view.kind as SlaKind,
    target: view.target as SlaTarget,
    appliesTo: { ...view.appliesTo, recordType: view.appliesTo.recordType as SlaRecordType },
  };
}

@Injectable()
export class SlaDefinitionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly definitions: SlaDefinitionsRepository,
    private readonly calendars: CalendarsRepository,
  ) {}

  async create(input: SlaDefinitionInput, actor: string): Promise<SlaDefinitionView> {
    return this.dataSource.transaction(async (manager) => {
      const id = randomUUID();
      const columns = await this.validated(manager, input);
      await this.definitions.insert(manager, { id, version: 1, ...columns, createdBy: actor });
      return toDefinitionView((await this.definitions.findCurrent(id, manager))!);
    });
  }

  async get(id: string, version?: number): Promise<SlaDefinitionView> {
    const found =
      version === undefined
        ? await this.definitions.findCurrent(id)
        : await this.definitions.findVersion(id, version);
    if (!found)
      throw new NotFoundProblem(
        'SLA definition',
        version === undefined ? id : `${id} version ${version}`,
      );
    return toDefinitionView(found);
  }

  async versions(id: string): Promise<SlaDefinitionView[]> {
    const versions = await this.definitions.listVersions(id);
    if (versions.length === 0) throw new NotFoundProblem('SLA definition', id);
    return versions.map(toDefinitionView);
  }

  async list(filters: DefinitionFilters, limit: number, after?: { name: string; id: string }) {
    return this.definitions.listCurrent(filters, limit, after);
  }

  /**
   * A change is a new version: the previous one is kept (superseded) for the timers that
   * run on it; timers started from now on use the new one.
   */
  async change(
    id: string,
    changes: Partial<SlaDefinitionInput>,
    expectedVersion: number,
    actor: string,
  ): Promise<SlaDefinitionView> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.definitions.findCurrentForUpdate(manager, id);
      if (!current) throw new NotFoundProblem('SLA definition', id);
      if (current.version !== expectedVersion) throw new PreconditionFailedProblem(current.version);
      const previous = inputOf(current);
      const next: SlaDefinitionInput = {
        ...previous,
        ...changes,
        appliesTo: { ...previous.appliesTo, ...changes.appliesTo },
        // A new target brings its own default stop condition unless one is given.
        stopCondition:
          changes.stopCondition ??
          (changes.target && changes.target !== previous.target
            ? undefined
            : previous.stopCondition),
      };
      const columns = await this.validated(manager, next);
      const now = new Date();
      await this.definitions.supersede(manager, id, current.version, now);
      await this.definitions.insert(manager, {
        id,
        version: current.version + 1,
        ...columns,
        createdBy: actor,
      });
      return toDefinitionView((await this.definitions.findCurrent(id, manager))!);
    });
  }

  private async validated(manager: EntityManager, input: SlaDefinitionInput) {
    const columns = columnsOf(input);
    const errors: FieldError[] = [];
    const durationMs = parseTargetDuration(input.duration);
    if (durationMs === undefined)
      errors.push({
        field: 'duration',
        message:
          'must be a positive ISO 8601 duration of at most a year without months or years, e.g. PT4H',
      });
    if (
      !isUUID(columns.calendarId) ||
      !(await this.calendars.findById(columns.calendarId, manager))
    )
      errors.push({ field: 'calendarId', message: 'is not a calendar (give its id or 24x7)' });
    if (columns.stopStates.length === 0 && !columns.stopOnFirstResponse)
      errors.push({ field: 'stopCondition', message: 'must name a state or onFirstResponse' });
    if (columns.startStates.length === 0)
      errors.push({ field: 'startCondition.states', message: 'must name at least one state' });
    if (errors.length > 0) throw new ValidationProblem(errors);
    return { ...columns, durationMs: durationMs! };
  }
}
