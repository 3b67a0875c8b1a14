import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { type ChangeTaskSnapshot } from '@itsm/contracts';
import {
  ApiProblemResponses,
  ExpectedVersion,
  ExpectedVersionIfGiven,
  HistoryPageResponse,
  Idempotent,
  PageQuery,
  ParseUuidPipe,
  entityTag,
  type HistoryEntryView,
  type Page,
  CsvExport,
  HistoryCsvExport,
} from '@itsm/platform';
import { ChangeTasksService } from '../application/change-tasks.service';
import {
  ChangeTaskTransitionDto,
  CreateChangeTaskDto,
  UpdateChangeTaskDto,
} from './dto/change-task.dto';
import { ChangeTaskPageResponse, ChangeTaskResponse } from './dto/change-task.response';

/** A change's tasks (`CTASK` numbers): open -> in_progress -> completed, or cancelled. Thin. */
@ApiTags('changes')
@Controller('api/v1/changes/:id/tasks')
export class ChangeTasksController {
  constructor(private readonly tasks: ChangeTasksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add a task to a change',
    description:
      "Planned dates inside the change's planned window (400 naming the date otherwise). Not to a closed or cancelled change (409).",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 201, type: ChangeTaskResponse })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('change:write')
  @Idempotent()
  async create(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateChangeTaskDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTaskSnapshot> {
    const task = await this.tasks.create(id, body, caller);
    response
      .location(`/api/v1/changes/${id}/tasks/${task.id}`)
      .setHeader('ETag', entityTag(task.version));
    return task;
  }

  @Get()
  @ApiOperation({ summary: "List a change's tasks", description: 'By number: oldest first.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeTaskPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  @CsvExport<ChangeTaskSnapshot>({
    name: 'change-tasks',
    columns: [
      'id',
      'number',
      'changeId',
      'type',
      'title',
      'description',
      'state',
      'assignmentGroup',
      'assignee',
      'plannedStart',
      'plannedEnd',
      'closeNotes',
      'openedBy',
      'openedAt',
      'closedAt',
      'updatedAt',
      'version',
    ],
  })
  async list(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<ChangeTaskSnapshot>> {
    return this.tasks.list(id, query);
  }

  @Get(':taskId')
  @ApiOperation({ summary: 'Read a change task' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeTaskResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Param('taskId', ParseUuidPipe) taskId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTaskSnapshot> {
    const task = await this.tasks.get(id, taskId);
    response.setHeader('ETag', entityTag(task.version));
    return task;
  }

  @Patch(':taskId')
  @ApiOperation({
    summary: 'Change a change task',
    description:
      "Merge semantics; null clears an optional field. Planned dates stay inside the change's window. Needs the ETag as If-Match.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: ChangeTaskResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('change:write')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Param('taskId', ParseUuidPipe) taskId: string,
    @Body() body: UpdateChangeTaskDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTaskSnapshot> {
    const task = await this.tasks.change(id, taskId, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(task.version));
    return task;
  }

  @Post(':taskId/transitions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a change task to another state',
    description:
      'open → in_progress → completed (in_progress → open puts it back); cancelled from either, with closeNotes. A step the task does not take is a 409.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'Optional: refuse (412) if the task moved on.',
  })
  @ApiResponse({ status: 200, type: ChangeTaskResponse })
  @ApiProblemResponses(400, 404, 409, 412)
  @RequirePermission('change:write')
  async transition(
    @Param('id', ParseUuidPipe) id: string,
    @Param('taskId', ParseUuidPipe) taskId: string,
    @Body() body: ChangeTaskTransitionDto,
    @ExpectedVersionIfGiven() expectedVersion: number | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTaskSnapshot> {
    const task = await this.tasks.transition(id, taskId, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(task.version));
    return task;
  }

  @Get(':taskId/history')
  @ApiOperation({
    summary: 'Read every field change of a change task',
    description: 'Oldest first.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiResponse({ status: 200, type: HistoryPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  @HistoryCsvExport('change-task')
  async history(
    @Param('id', ParseUuidPipe) id: string,
    @Param('taskId', ParseUuidPipe) taskId: string,
    @Query() query: PageQuery,
  ): Promise<Page<HistoryEntryView>> {
    return this.tasks.history(id, taskId, query);
  }
}
