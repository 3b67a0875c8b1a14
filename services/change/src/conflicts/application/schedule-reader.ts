import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { OPEN_CHANGE_STATES, type Change } from '../../changes/domain/change';
import { ChangesRepository } from '../../changes/persistence/changes.repository';
import { CmdbImpactClient } from '../../cmdb/cmdb-impact.client';
import { CHANGE_CONFIG, type ChangeConfig } from '../../config/change.config';
import { ChangeWindowsService } from '../../windows/application/change-windows.service';
import { type Interval } from '../../windows/domain/interval';
import { detectConflicts, type ChangeConflict } from '../domain/change-conflicts';
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
}

function planned(change: Change): (ConflictChange & { number: string }) | null {
  if (!change.plannedStart || !change.plannedEnd) return null;
  return {
    id: change.id,
    number: change.number,
    model: change.model,
    plannedStart: change.plannedStart,
    plannedEnd: change.plannedEnd,
    ciIds: change.ciIds,
    businessServiceIds: change.businessServiceIds,
    // Class-scoped windows apply to the CIs the CMDB answers classes for (docs/changes.md).
    ciClassesById: {},
    assignee: change.assignee,
    blackoutOverrideReason: change.blackoutOverrideReason,
  };
}

function other(change: Change): OtherChange | null {
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
    @Inject(CHANGE_CONFIG) private readonly config: ChangeConfig,
  ) {}

  async conflictsOf(manager: EntityManager, change: Change): Promise<ConflictCheck> {
    const plan = planned(change);
    if (!plan || !OPEN_CHANGE_STATES.includes(change.state)) {
      return { conflicts: [], dependencyCheckDegraded: null };
    }
    const window = { from: plan.plannedStart, to: plan.plannedEnd };
    const [others, windows] = await Promise.all([
      this.changes.findOpenOverlapping(manager, window, { excludeId: change.id }),
      this.windows.scheduleBetween(window.from, window.to),
    ]);
    const otherChanges = others.map(other).filter((value): value is OtherChange => value !== null);
    const { dependencies, degraded } = await this.dependencies(plan.ciIds, otherChanges);
    return {
      conflicts: detectConflicts({
        change: plan,
        otherChanges,
        windows,
        dependencies,
        maxHops: this.config.conflictDependencyHops,
      }),
      dependencyCheckDegraded: degraded,
    };
  }

  /** The earliest slot of the change's duration, at or after `earliest`, free of conflicts for its CIs. */
  async nextFreeSlot(
    manager: EntityManager,
    change: Change,
    earliest: Date,
    horizonMs?: number,
  ): Promise<{ slot: Interval | null; dependencyCheckDegraded: string | null }> {
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
    const { dependencies, degraded } = await this.dependencies(change.ciIds, otherChanges);
    const slot = nextFreeSlot({
      change: {
        id: change.id,
        ciIds: change.ciIds,
        businessServiceIds: change.businessServiceIds,
        ciClassesById: {},
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
    return { slot, dependencyCheckDegraded: degraded };
  }

  /** The open changes and the windows (with their occurrences) over [from, to): the change schedule. */
  async scheduleBetween(
    manager: EntityManager,
    from: Date,
    to: Date,
  ): Promise<{ changes: Change[]; windows: ScheduledWindow[] }> {
    const [changes, windows] = await Promise.all([
      this.changes.findOpenOverlapping(manager, { from, to }),
      this.windows.scheduleBetween(from, to),
    ]);
    return { changes, windows };
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
