import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { RequirePermission } from '@itsm/auth';
import { ApiProblemResponses, NotFoundProblem, ParseUuidPipe } from '@itsm/platform';
import { DataSource } from 'typeorm';
import { type Change } from '../../changes/domain/change';
import { ChangesRepository } from '../../changes/persistence/changes.repository';
import { rangeOf } from '../../windows/application/change-windows.service';
import { ScheduleReader } from '../application/schedule-reader';
import { isRefused } from '../domain/change-conflicts';
import {
  ConflictsResponse,
  NextFreeSlotQuery,
  NextFreeSlotResponse,
  ScheduleQuery,
  ScheduleResponse,
} from './schedule.dto';

const DAY_MS = 86_400_000;

/** The change schedule, a change's conflicts, and the next free slot for it. Thin. */
@ApiTags('change schedule')
@Controller()
export class ScheduleController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: ChangesRepository,
    private readonly schedule: ScheduleReader,
  ) {}

  @Get(['api/v1/changes/schedule', 'api/v1/change-calendar'])
  @ApiOperation({
    summary: 'The change schedule',
    description:
      'The open changes planned in [from, to) and the maintenance windows, blackouts and freezes in effect there, each with its occurrences (recurring windows expanded in their time zone). `/api/v1/change-calendar` answers the same.',
  })
  @ApiResponse({ status: 200, type: ScheduleResponse })
  @ApiProblemResponses(400)
  @RequirePermission('change:read')
  async read(@Query() query: ScheduleQuery): Promise<ScheduleResponse> {
    const range = rangeOf(query.from, query.to);
    const { changes, windows } = await this.schedule.scheduleBetween(
      this.dataSource.manager,
      range.from,
      range.to,
      query.ciId,
    );
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      changes: changes.map((change) => ({
        id: change.id,
        number: change.number,
        title: change.title,
        state: change.state,
        model: change.model,
        risk: change.risk,
        plannedStart: (change.plannedStart as Date).toISOString(),
        plannedEnd: (change.plannedEnd as Date).toISOString(),
        ciIds: change.ciIds,
        assignmentGroup: change.assignmentGroup,
        assignee: change.assignee,
        onHold: change.onHold,
      })),
      windows: windows.map((window) => ({
        id: window.id,
        name: window.name,
        kind: window.kind,
        scope: window.scope,
        inForceSince: window.inForceSince?.toISOString() ?? null,
        occurrences: window.occurrences.map((occurrence) => ({
          start: occurrence.start.toISOString(),
          end: occurrence.end.toISOString(),
        })),
      })),
    };
  }

  @Get('api/v1/changes/:id/conflicts')
  @ApiOperation({
    summary: "A change's conflicts",
    description:
      'Checked now: the same CI changed by another change overlapping in time; CIs depending on each other within the configured hops in the CMDB; outside the maintenance windows of its CIs; inside a blackout or a freeze (refused unless an emergency change with an override reason); the assignee double-booked.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ConflictsResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async conflicts(@Param('id', ParseUuidPipe) id: string): Promise<ConflictsResponse> {
    const change = await this.found(id);
    const check = await this.schedule.conflictsOf(this.dataSource.manager, change);
    return {
      changeId: change.id,
      conflicts: check.conflicts,
      refused: isRefused(check.conflicts),
      dependencyCheckDegraded: check.dependencyCheckDegraded,
      classCheckDegraded: check.classCheckDegraded,
      checkedAt: new Date().toISOString(),
    };
  }

  @Get('api/v1/changes/:id/next-free-slot')
  @ApiOperation({
    summary: 'The next free slot for a change',
    description:
      "The earliest interval of the change's planned duration (an hour when it has none) at or after `after` where its CIs have no same-CI, dependent-CI, blackout or freeze conflict, the assignee is free, and which lies inside the maintenance windows of its CIs where they have some. null when there is none within the horizon.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: NextFreeSlotResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async nextFreeSlot(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: NextFreeSlotQuery,
  ): Promise<NextFreeSlotResponse> {
    const change = await this.found(id);
    const { slot, dependencyCheckDegraded, classCheckDegraded } = await this.schedule.nextFreeSlot(
      this.dataSource.manager,
      change,
      query.after ?? new Date(),
      query.horizonDays === undefined ? undefined : query.horizonDays * DAY_MS,
    );
    return {
      changeId: change.id,
      slot: slot && { start: slot.start.toISOString(), end: slot.end.toISOString() },
      dependencyCheckDegraded,
      classCheckDegraded,
    };
  }

  private async found(id: string): Promise<Change> {
    const change = await this.changes.findById(id);
    if (!change) throw new NotFoundProblem('Change', id);
    return change;
  }
}
