import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Response } from 'express';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  PROBLEM_TASK_TYPES,
  type ProblemTaskSnapshot,
  type ProblemTaskType,
} from '@itsm/contracts';
import {
  ApiProblemResponses,
  Description,
  ExpectedVersion,
  ExpectedVersionIfGiven,
  Label,
  PageQuery,
  ParseUuidPipe,
  Title,
  Username,
  entityTag,
  type Page,
  CsvExport,
} from '@itsm/platform';
import {
  ProblemTaskPageResponse,
  ProblemTaskResponse,
} from '../../problems/http/dto/problem.response';
import { ProblemTasksService } from '../application/problem-tasks.service';

export class CreateProblemTaskDto {
  @ApiProperty({
    enum: PROBLEM_TASK_TYPES,
    description: 'A root cause analysis or a general task.',
  })
  @IsIn(PROBLEM_TASK_TYPES)
  type!: ProblemTaskType;

  @Title({ optional: false })
  title!: string;

  @Description({ optional: true })
  description?: string;

  @Label('Assignment group.')
  assignmentGroup?: string;

  @Username('Assignee; needs an assignment group.')
  assignee?: string;
}

export class UpdateProblemTaskDto {
  @Title({ optional: true })
  title?: string;

  @Description({ optional: true })
  description?: string;

  @Label('Assignment group. Changing it clears the assignee unless one is given.')
  assignmentGroup?: string | null;

  @Username('Assignee; needs an assignment group.')
  assignee?: string | null;
}

export class ProblemTaskTransitionDto {
  @ApiProperty({ enum: ['open', 'in_progress', 'completed', 'cancelled'] })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  to!: string;

  @ApiPropertyOptional({ maxLength: 20000, description: 'Required to complete or cancel.' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: '$property must not be blank' })
  @MaxLength(20000)
  closeNotes?: string;
}

/** A problem's tasks (`PTASK` numbers): open -> in_progress -> completed, or cancelled. */
@ApiTags('problems')
@Controller('api/v1/problems/:id/tasks')
export class ProblemTasksController {
  constructor(private readonly tasks: ProblemTasksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add a task to a problem',
    description: 'Not to a closed or cancelled problem (409).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 201, type: ProblemTaskResponse })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('problem:write')
  async create(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CreateProblemTaskDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProblemTaskSnapshot> {
    const task = await this.tasks.create(id, body, caller);
    response
      .location(`/api/v1/problems/${id}/tasks/${task.id}`)
      .setHeader('ETag', entityTag(task.version));
    return task;
  }

  @Get()
  @ApiOperation({ summary: "List a problem's tasks", description: 'Oldest first.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProblemTaskPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  @CsvExport<ProblemTaskSnapshot>({
    name: 'problem-tasks',
    columns: [
      'id',
      'number',
      'problemId',
      'type',
      'title',
      'description',
      'state',
      'assignmentGroup',
      'assignee',
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
    @CurrentCaller() caller: Caller,
  ): Promise<Page<ProblemTaskSnapshot>> {
    return this.tasks.list(id, caller, query);
  }

  @Get(':taskId')
  @ApiOperation({ summary: 'Read a problem task' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProblemTaskResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Param('taskId', ParseUuidPipe) taskId: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProblemTaskSnapshot> {
    const task = await this.tasks.get(id, taskId, caller);
    response.setHeader('ETag', entityTag(task.version));
    return task;
  }

  @Patch(':taskId')
  @ApiOperation({ summary: 'Change a problem task', description: 'Needs the ETag as If-Match.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: ProblemTaskResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('problem:write')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Param('taskId', ParseUuidPipe) taskId: string,
    @Body() body: UpdateProblemTaskDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProblemTaskSnapshot> {
    const task = await this.tasks.change(id, taskId, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(task.version));
    return task;
  }

  @Post(':taskId/transitions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a problem task to another state' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProblemTaskResponse })
  @ApiProblemResponses(400, 404, 409, 412)
  @RequirePermission('problem:write')
  async transition(
    @Param('id', ParseUuidPipe) id: string,
    @Param('taskId', ParseUuidPipe) taskId: string,
    @Body() body: ProblemTaskTransitionDto,
    @ExpectedVersionIfGiven() expectedVersion: number | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProblemTaskSnapshot> {
    const task = await this.tasks.transition(id, taskId, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(task.version));
    return task;
  }
}
