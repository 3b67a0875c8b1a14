import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  ExpectedVersionIfGiven,
  Idempotent,
  PageQuery,
  ParseUuidPipe,
  entityTag,
  parseSort,
  type Page,
  HistoryPageResponse,
  JournalEntryResponse,
  JournalPageResponse,
  type HistoryEntryView,
  type JournalEntryView,
  CsvExport,
  HistoryCsvExport,
  JournalCsvExport,
} from '@itsm/platform';
import { type ProblemView } from '../application/problem-view';
import { ProblemsService } from '../application/problems.service';
import { PROBLEM_SORT_FIELDS } from '../persistence/problems.repository';
import {
  CreateProblemDto,
  JournalEntryDto,
  ProblemTransitionDto,
  UpdateProblemDto,
} from './dto/problem.dto';
import {
  OpenProblemTransitionsResponse,
  ProblemPageResponse,
  ProblemResponse,
} from './dto/problem.response';
import { JournalQuery, ListProblemsQuery } from './dto/list-problems.query';

/** Problems: open, list, read, change, move through the states, journal, history. Thin. */
@ApiTags('problems')
@Controller('api/v1/problems')
export class ProblemsController {
  constructor(private readonly problems: ProblemsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Open a problem',
    description:
      'By hand, or from an incident (`fromIncidentId`: its fields are copied unless given, and it is linked). State `new`, priority from the same matrix as incidents. Publishes `itsm.problem.created.v1`.',
  })
  @ApiResponse({
    status: 201,
    type: ProblemResponse,
    headers: {
      Location: { description: 'The URL of the new problem.', schema: { type: 'string' } },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400, 409, 422)
  @RequirePermission('problem:write')
  @Idempotent()
  async create(
    @Body() body: CreateProblemDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProblemView> {
    const problem = await this.problems.open(body, caller);
    response
      .location(`/api/v1/problems/${problem.id}`)
      .setHeader('ETag', entityTag(problem.version));
    return problem;
  }

  @Get()
  @ApiOperation({
    summary: 'List problems',
    description:
      'Filters combine (AND); values of one filter separated by commas combine (OR). Keyset-paged.',
  })
  @ApiResponse({ status: 200, type: ProblemPageResponse })
  @ApiProblemResponses(400)
  @RequirePermission('problem:read')
  @CsvExport<ProblemView>({
    name: 'problems',
    columns: [
      'id',
      'number',
      'title',
      'description',
      'category',
      'subcategory',
      'businessServiceId',
      'ciIds',
      'impact',
      'urgency',
      'priority',
      'priorityOverrideReason',
      'state',
      'source',
      'candidateReason',
      'assignmentGroup',
      'assignee',
      'openedBy',
      'causeNotes',
      'fixNotes',
      'workaround',
      'resolutionCode',
      'resolutionNotes',
      'duplicateOfId',
      'changeIds',
      'incidentCount',
      'openedAt',
      'confirmedAt',
      'confirmedBy',
      'rootCauseIdentifiedAt',
      'rootCauseIdentifiedBy',
      'resolvedAt',
      'resolvedBy',
      'closedAt',
      'closedBy',
      'reanalysisCount',
      'updatedAt',
      'version',
    ],
  })
  async list(
    @Query() query: ListProblemsQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<ProblemView>> {
    const sort = parseSort(query.sort, PROBLEM_SORT_FIELDS, {
      field: 'openedAt',
      direction: 'DESC',
    });
    return this.problems.list(
      {
        filter: {
          states: query.state,
          sources: query.source,
          priorities: query.priority,
          assignmentGroups: query.assignmentGroup,
          assignee: query.assignee,
          ciId: query.ciId,
          businessServiceId: query.businessServiceId,
          category: query.category,
          incidentId: query.incidentId,
          changeId: query.changeId,
          openedFrom: query.openedFrom,
          openedTo: query.openedTo,
          text: query.q,
        },
        sort,
        cursor: query.cursor,
        limit: query.limit,
      },
      caller,
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a problem' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProblemResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProblemView> {
    const problem = await this.problems.get(id, caller);
    response.setHeader('ETag', entityTag(problem.version));
    return problem;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a problem',
    description: 'Merge semantics; null clears an optional field. Needs the ETag as If-Match.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: ProblemResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('problem:write')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateProblemDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProblemView> {
    const problem = await this.problems.change(id, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(problem.version));
    return problem;
  }

  @Get(':id/transitions')
  @ApiOperation({
    summary: 'The steps open to a problem',
    description:
      "The steps the state machine allows you from the problem's state (re-analysing a closed problem only for problem managers, never for a duplicate), each with the fields a `POST .../transitions` to it must and may carry; a field the problem already holds is accepted, not required. Empty when none is. Taking one still needs `problem:write` (docs/problems.md).",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: OpenProblemTransitionsResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  async openTransitions(
    @Param('id', ParseUuidPipe) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<OpenProblemTransitionsResponse> {
    return this.problems.openTransitions(id, caller);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a problem to another state',
    description:
      '`{ to, ...the fields of that step }` (docs/problems.md). A step the state machine does not allow is a 409 naming the state and the allowed ones; re-analysing a closed problem is for problem managers (403 otherwise).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'Optional: refuse (412) if the problem moved on.',
  })
  @ApiResponse({ status: 200, type: ProblemResponse })
  @ApiProblemResponses(400, 403, 404, 409, 412)
  @RequirePermission('problem:write')
  async transition(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ProblemTransitionDto,
    @ExpectedVersionIfGiven() expectedVersion: number | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProblemView> {
    const problem = await this.problems.transition(id, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(problem.version));
    return problem;
  }

  @Get(':id/journal')
  @ApiOperation({ summary: "Read a problem's journal", description: 'Oldest first.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: JournalPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  @JournalCsvExport('problem')
  async journal(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: JournalQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<JournalEntryView>> {
    return this.problems.journal(id, caller, query);
  }

  @Post(':id/journal')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a work note or a comment to a problem' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 201, type: JournalEntryResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:write')
  async addJournalEntry(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: JournalEntryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<JournalEntryView> {
    return this.problems.addJournalEntry(id, body, caller);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Read every field change of a problem', description: 'Oldest first.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: HistoryPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  @HistoryCsvExport('problem')
  async history(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<HistoryEntryView>> {
    return this.problems.history(id, caller, query);
  }
}
