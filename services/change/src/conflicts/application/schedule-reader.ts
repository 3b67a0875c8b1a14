import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { OPEN_CHANGE_STATES, type Change } from '../../changes/domain/change';
import {
  ChangesRepository,
  type ScheduledChange,
} from '../../changes/persistence/changes.repository';
import { CmdbClassesClient } from '../../cmdb/cmdb-classes.client';
import { CmdbImpactClient } from '../../cmdb/cmdb-impact.client';
import { CHANGE_CONFIG, type ChangeConfig } from '../../config/change.config';
import { ChangeWindowsService } from '../../windows/application/change-windows.service';
import { type Interval } from '../../windows/domain/interval';
import { type CiClasses } from '../../windows/domain/window-scope';
import {
  detectConflicts,
  outsideMaintenanceWindows,
  type ChangeConflict,
} from '../domain/change-conflicts';
import { nextFreeSlot, slotSearchRange } from '../domain/next-free-slot';
import {
  type CiDependency,
  type ConflictChange,
  type OtherChange,
  type ScheduledWindow,
} from '../domain/schedule';

/** A change's conflicts, and whether the CMDB answered for the dependent-CI check. */
export interface ConflictCheck {
  conflicts: ChangeConflict[];
  /** Why dependent CIs could not be checked (the CMDB did not answer in time); null when they were. */
  dependencyCheckDegraded: string | null;
  /**
   * Why windows scoped by CI class could not be applied (the CMDB did not answer for the
   * classes of the change's CIs); null when they were, or when no such window is in play.
   */
  classCheckDegraded: string | null;
  /**
   * The change is planned outside the maintenance windows of one of its CIs or services (the
   * `outside_maintenance_window` conflict), as the risk reads it; null when it is not planned.
   */
  outsideMaintenanceWindow: boolean | null;
}

/** The classes of a change's CIs and services, as far as the CMDB answered. */
interface ClassRead {
  ciClassesById: Record<string, CiClasses>;
  degraded: string | null;
}

const NO_CLASSES: ClassRead = { ciClassesById: {}, degraded: null };

function planned(change: ScheduledChange): (ConflictChange & { number: string }) | null {
  if (!change.plannedStart || !change.plannedEnd) return null;
  return {
    id: change.id,
    number: change.number,
    model: change.model,
    plannedStart: change.plannedStart,
    plannedEnd: change.plannedEnd,
    ciIds: change.ciIds,
    businessServiceIds: change.businessServiceIds,
    // Read from the CMDB only when a window scoped by class is in play (ScheduleReader).
    ciClassesById: {},
    assignee: change.assignee,
    blackoutOverrideReason: change.blackoutOverrideReason,
  };
}

function other(change: ScheduledChange): OtherChange | null {
  const plan = planned(change);
  return plan && { ...plan, state: change.state };
}

/**
 * Reads the schedule around a change (the other open changes overlapping it, the windows
 * in effect, the CMDB dependencies between its CIs and theirs) and asks the conflict
 * rules about it; also finds the next free slot for its CIs.
 */
@Injectable()
export class ScheduleReader {
  private readonly logger = new Logger(ScheduleReader.name);

  constructor(
    private readonly changes: ChangesRepository,
    private readonly windows: ChangeWindowsService,
    private readonly cmdb: CmdbImpactClient,
    private readonly classes: CmdbClassesClient,
    @Inject(CHANGE_CONFIG) private readonly config: ChangeConfig,
  ) {}

  async conflictsOf(manager: EntityManager, change: Change): Promise<ConflictCheck> {
    const plan = planned(change);
    if (!plan || !OPEN_CHANGE_STATES.includes(change.state)) {
      return {
        conflicts: [],
        dependencyCheckDegraded: null,
        classCheckDegraded: null,
        outsideMaintenanceWindow: null,
      };
    }
    const window = { from: plan.plannedStart, to: plan.plannedEnd };
    const [others, windows] = await Promise.all([
      this.changes.findOpenOverlapping(manager, window, { excludeId: change.id }),
      this.windows.scheduleBetween(window.from, window.to),
    ]);
    const otherChanges = others.map(other).filter((value): value is OtherChange => value !== null);
    const [{ dependencies, degraded }, classes] = await Promise.all([
      this.dependencies(plan.ciIds, otherChanges),
      this.classesFor(change, windows),
    ]);
    const checked = { ...plan, ciClassesById: classes.ciClassesById };
    return {
      conflicts: detectConflicts({
        change: checked,
        otherChanges,
        windows,
        dependencies,
        maxHops: this.config.conflictDependencyHops,
      }),
      dependencyCheckDegraded: degraded,
      classCheckDegraded: classes.degraded,
      outsideMaintenanceWindow: outsideMaintenanceWindows(checked, windows).length > 0,
    };
  }

  /**
   * Whether the change is planned outside the maintenance windows of one of its CIs or
   * services (the `outside_maintenance_window` conflict), reading only the windows and, when
   * one is scoped by class, the classes of its CIs; null when it is not planned.
   */
  async outsideMaintenanceWindow(change: Change): Promise<boolean | null> {
    const plan = planned(change);
    if (!plan) return null;
    const windows = await this.windows.scheduleBetween(plan.plannedStart, plan.plannedEnd);
    const { ciClassesById } = await this.classesFor(change, windows);
    return outsideMaintenanceWindows({ ...plan, ciClassesById }, windows).length > 0;
  }

  /** The earliest slot of the change's duration, at or after `earliest`, free of conflicts for its CIs. */
  async nextFreeSlot(
    manager: EntityManager,
    change: Change,
    earliest: Date,
    horizonMs?: number,
  ): Promise<{
    slot: Interval | null;
    dependencyCheckDegraded: string | null;
    classCheckDegraded: string | null;
  }> {
    const durationMs =
      change.plannedStart && change.plannedEnd
        ? change.plannedEnd.getTime() - change.plannedStart.getTime()
        : 3_600_000;
    const range = slotSearchRange(earliest, durationMs, horizonMs);
    const [others, windows] = await Promise.all([
      this.changes.findOpenOverlapping(
        manager,
        { from: range.start, to: range.end },
        { excludeId: change.id },
      ),
      this.windows.scheduleBetween(range.start, range.end),
    ]);
    const otherChanges = others.map(other).filter((value): value is OtherChange => value !== null);
    const [{ dependencies, degraded }, classes] = await Promise.all([
      this.dependencies(change.ciIds, otherChanges),
      this.classesFor(change, windows),
    ]);
    const slot = nextFreeSlot({
      change: {
        id: change.id,
        ciIds: change.ciIds,
        businessServiceIds: change.businessServiceIds,
        ciClassesById: classes.ciClassesById,
        assignee: change.assignee,
      },
      earliest,
      durationMs,
      horizonMs,
      otherChanges,
      windows,
      dependencies,
      maxHops: this.config.conflictDependencyHops,
    });
    return { slot, dependencyCheckDegraded: degraded, classCheckDegraded: classes.degraded };
  }

  /** The open changes and the windows (with their occurrences) over [from, to): the change schedule. */
  async scheduleBetween(
    manager: EntityManager,
    from: Date,
    to: Date,
    ciId?: string,
  ): Promise<{ changes: ScheduledChange[]; windows: ScheduledWindow[] }> {
    const [changes, windows] = await Promise.all([
      this.changes.findOpenOverlapping(manager, { from, to }, ciId ? { ciIds: [ciId] } : {}),
      this.windows.scheduleBetween(from, to),
    ]);
    return { changes, windows };
  }

  /**
   * The classes (with their ancestors) of the change's CIs and services, read from the CMDB
   * only when one of the windows is scoped by class: otherwise no answer would change. When
   * the CMDB does not answer in time, windows scoped by class cover none of them (said in
   * `classCheckDegraded`) rather than the change failing.
   */
  private async classesFor(
    change: Pick<Change, 'ciIds' | 'businessServiceIds'>,
    windows: readonly ScheduledWindow[],
  ): Promise<ClassRead> {
    const items = [...change.ciIds, ...change.businessServiceIds];
    if (items.length === 0 || !windows.some((window) => window.scope.ciClasses.length > 0)) {
      return NO_CLASSES;
    }
    const read = await this.classes.classesOf(items);
    if (read.degraded) {
      this.logger.warn(`windows scoped by class not applied: ${read.reason}`);
      return { ciClassesById: {}, degraded: read.reason };
    }
    return { ciClassesById: read.value.classesById, degraded: null };
  }

  private async dependencies(
    ciIds: readonly string[],
    others: readonly OtherChange[],
  ): Promise<{ dependencies: CiDependency[]; degraded: string | null }> {
    const theirs = [...new Set(others.flatMap((change) => change.ciIds))];
    const hops = this.config.conflictDependencyHops;
    if (ciIds.length === 0 || theirs.length === 0 || hops === 0) {
      return { dependencies: [], degraded: null };
    }
    const read = await this.cmdb.dependencies(ciIds, hops, theirs);
    if (read.degraded) {
      this.logger.warn(`dependent CIs not checked: ${read.reason}`);
      return { dependencies: [], degraded: read.reason };
    }
    return {
      dependencies: read.value.dependencies.map((dependency) => ({
        ciId: dependency.ciId,
        otherCiId: dependency.relatedCiId,
        direction: dependency.direction === 'downstream' ? 'depends_on' : 'depended_on_by',
        hops: dependency.distance,
      })),
      degraded: null,
    };
  }
}
