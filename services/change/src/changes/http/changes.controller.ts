import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  ExpectedVersionIfGiven,
  HistoryPageResponse,
  Idempotent,
  JournalEntryResponse,
  JournalPageResponse,
  PageQuery,
  ParseUuidPipe,
  entityTag,
  parseSort,
  type HistoryEntryView,
  type JournalEntryView,
  type Page,
  CsvExport,
  HistoryCsvExport,
  JournalCsvExport,
} from '@itsm/platform';
import { type ChangeView } from '../application/change-view';
import { ChangesService } from '../application/changes.service';
import { CHANGE_SORT_FIELDS } from '../persistence/changes.repository';
import {
  ChangeTransitionDto,
  CreateChangeDto,
  JournalEntryDto,
  UpdateChangeDto,
} from './dto/change.dto';
import {
  ChangePageResponse,
  ChangeResponse,
  OpenChangeTransitionsResponse,
} from './dto/change.response';
import { JournalQuery, ListChangesQuery } from './dto/list-changes.query';

/** Changes: raise, list, read, change, move through the model's states, journal, history. Thin. */
@ApiTags('changes')
@Controller('api/v1/changes')
export class ChangesController {
  constructor(private readonly changes: ChangesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Raise a change',
    description:
      'A normal or emergency change, or a standard one from a published template (`templateId`). State `new`. With `externalRef` (a pipeline run) it is idempotent: the same provider, pipeline, run and environment answer 200 with the change raised the first time. A caller with `change:create` but not `change:write` (a pipeline) raises only changes with an `externalRef`. Publishes `itsm.change.created.v1`.',
  })
  @ApiResponse({
    status: 201,
    type: ChangeResponse,
    headers: {
      Location: { description: 'The URL of the new change.', schema: { type: 'string' } },
    },
  })
  @ApiResponse({
    status: 200,
    type: ChangeResponse,
    description: 'The change this pipeline run already raised.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400, 403, 409, 422)
  @RequirePermission('change:create')
  @Idempotent()
  async create(
    @Body() body: CreateChangeDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeView> {
    const { change, created } = await this.changes.open(body, caller);
    response
      .status(created ? 201 : 200)
      .location(`/api/v1/changes/${change.id}`)
      .setHeader('ETag', entityTag(change.version));
    return change;
  }

  @Get()
  @ApiOperation({
    summary: 'List changes',
    description:
      'Filters combine (AND); values of one filter separated by commas combine (OR). `from`/`to` select changes whose planned window overlaps them. Keyset-paged.',
  })
  @ApiResponse({ status: 200, type: ChangePageResponse })
  @ApiProblemResponses(400)
  @RequirePermission('change:read')
  @CsvExport<ChangeView>({
    name: 'changes',
    columns: [
      'id',
      'number',
      'title',
      'description',
      'justification',
      'model',
      'templateId',
      'templateVersion',
      'category',
      'impact',
      'risk',
      'riskSource',
      'riskReasons',
      'riskAnswers',
      'riskAssessedAt',
      'state',
      'approval',
      'onHold',
      'holdReason',
      'heldByWindowId',
      'plannedStart',
      'plannedEnd',
      'actualStart',
      'actualEnd',
      'implementationPlan',
      'backoutPlan',
      'testPlan',
      'ciIds',
      'businessServiceIds',
      'assignmentGroup',
      'assignee',
      'requestedBy',
      'problemIds',
      'incidentIds',
      'causedIncidentIds',
      'closeCode',
      'closeNotes',
      'reviewNotes',
      'unauthorized',
      'blackoutOverrideReason',
      'externalRef',
      'openedAt',
      'authorizedAt',
      'closedAt',
      'closedBy',
      'updatedAt',
      'version',
    ],
  })
  async list(@Query() query: ListChangesQuery): Promise<Page<ChangeView>> {
    const sort = parseSort(query.sort, CHANGE_SORT_FIELDS, {
      field: 'openedAt',
      direction: 'DESC',
    });
    return this.changes.list({
      filter: {
        states: query.state,
        models: query.model,
        risks: query.risk,
        assignmentGroups: query.assignmentGroup,
        assignee: query.assignee,
        ciId: query.ciId,
        businessServiceId: query.businessServiceId,
        problemId: query.problemId,
        incidentId: query.incidentId,
        onHold: query.onHold,
        unauthorized: query.unauthorized,
        from: query.from,
        to: query.to,
        text: query.q,
      },
      sort,
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a change' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeView> {
    const change = await this.changes.get(id);
    response.setHeader('ETag', entityTag(change.version));
    return change;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a change',
    description:
      'Merge semantics; null clears an optional field. Needs the ETag as If-Match. A standard change keeps what its template fixes; from implement on, the plan, dates and CIs are history.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: ChangeResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('change:write')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateChangeDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeView> {
    const change = await this.changes.change(id, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(change.version));
    return change;
  }

  @Get(':id/transitions')
  @ApiOperation({
    summary: 'The steps open to a change',
    description:
      "The steps the change's model allows from its state that would not be refused as things stand (none but cancelling under a freeze; scheduling only once approved), each with the fields a `POST .../transitions` to it must and may carry; a field the change already holds is accepted, not required. Empty when final. Taking one still needs `change:write` (docs/changes.md).",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: OpenChangeTransitionsResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async openTransitions(
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<OpenChangeTransitionsResponse> {
    return this.changes.openTransitions(id);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a change to another state',
    description:
      '`{ to, ...the fields of that step }` (docs/changes.md). The path depends on the model; a step it does not allow is a 409 naming the state and the allowed ones. `authorize` to `scheduled` happens by itself when the approval rule is met.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'Optional: refuse (412) if the change moved on.',
  })
  @ApiResponse({ status: 200, type: ChangeResponse })
  @ApiProblemResponses(400, 404, 409, 412)
  @RequirePermission('change:write')
  async transition(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ChangeTransitionDto,
    @ExpectedVersionIfGiven() expectedVersion: number | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeView> {
    const change = await this.changes.transition(id, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(change.version));
    return change;
  }

  @Get(':id/journal')
  @ApiOperation({ summary: "Read a change's journal", description: 'Oldest first.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: JournalPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  @JournalCsvExport('change')
  async journal(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: JournalQuery,
  ): Promise<Page<JournalEntryView>> {
    return this.changes.journal(id, query);
  }

  @Post(':id/journal')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a work note or a comment to a change' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 201, type: JournalEntryResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:write')
  async addJournalEntry(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: JournalEntryDto,
    @CurrentCaller() caller: Caller,
  ): Promise<JournalEntryView> {
    return this.changes.addJournalEntry(id, body, caller);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Read every field change of a change', description: 'Oldest first.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: HistoryPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  @HistoryCsvExport('change')
  async history(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<HistoryEntryView>> {
    return this.changes.history(id, query);
  }
}
