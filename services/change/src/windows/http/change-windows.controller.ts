import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
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
import { type ChangeWindowView, type OccurrenceView } from '../application/change-window-view';
import {
  ChangeWindowsService,
  optionalRange,
  rangeOf,
} from '../application/change-windows.service';
import { CreateChangeWindowDto, UpdateChangeWindowDto } from './dto/change-window.dto';
import {
  ChangeWindowPageResponse,
  ChangeWindowResponse,
  OccurrenceListResponse,
} from './dto/change-window.response';
import { ListChangeWindowsQuery, OccurrencesQuery } from './dto/list-change-windows.query';

const IF_MATCH_OPTIONAL = {
  name: 'If-Match',
  required: false,
  description: 'Optional: refuse (412) if the window moved on.',
};

/** A validated date-time with its offset, as an instant; absent stays absent. */
function instantOf(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

/** Change windows: maintenance windows, blackouts and freezes on the change schedule. Thin. */
@ApiTags('change-windows')
@Controller('api/v1/change-windows')
export class ChangeWindowsController {
  constructor(private readonly windows: ChangeWindowsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Define a change window',
    description:
      'A maintenance window, blackout or freeze: its first occurrence (`start`, `end`), an optional RRULE repeating it at the same local time in `timeZone`, and its scope (CIs, business services, CI classes; none: the whole estate). Publishes `itsm.change_window.created.v1`.',
  })
  @ApiResponse({
    status: 201,
    type: ChangeWindowResponse,
    headers: {
      Location: { description: 'The URL of the new window.', schema: { type: 'string' } },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400, 409, 422)
  @RequirePermission('change:schedule')
  @Idempotent()
  async create(
    @Body() body: CreateChangeWindowDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeWindowView> {
    const window = await this.windows.create(
      { ...body, start: new Date(body.start), end: new Date(body.end) },
      caller,
    );
    response
      .location(`/api/v1/change-windows/${window.id}`)
      .setHeader('ETag', entityTag(window.version));
    return window;
  }

  @Get()
  @ApiOperation({
    summary: 'List change windows',
    description:
      'By first start. Filters combine (AND); kinds separated by commas combine (OR). With `from` and `to`, only the windows with an occurrence overlapping the range, each with its `occurrences` there. Keyset-paged: pass `nextCursor` back with the same filters.',
  })
  @ApiResponse({ status: 200, type: ChangeWindowPageResponse })
  @ApiProblemResponses(400)
  @RequirePermission('change:read')
  @CsvExport<ChangeWindowView>({
    name: 'change-windows',
    columns: [
      'id',
      'name',
      'kind',
      'description',
      'start',
      'end',
      'recurrence',
      'timeZone',
      'ciIds',
      'businessServiceIds',
      'ciClasses',
      'active',
      'inForce',
      'enforcedAt',
      'enforcedBy',
      'liftedAt',
      'liftedBy',
      'retiredAt',
      'retiredBy',
      'createdBy',
      'createdAt',
      'updatedBy',
      'updatedAt',
      'version',
    ],
  })
  async list(@Query() query: ListChangeWindowsQuery): Promise<Page<ChangeWindowView>> {
    return this.windows.list({
      kinds: query.kind,
      active: query.active,
      inForce: query.inForce,
      range: optionalRange(instantOf(query.from), instantOf(query.to)),
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a change window' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeWindowResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeWindowView> {
    const window = await this.windows.get(id);
    response.setHeader('ETag', entityTag(window.version));
    return window;
  }

  @Get(':id/occurrences')
  @ApiOperation({
    summary: "Read a change window's occurrences in a range",
    description:
      'The occurrences overlapping [from, to) (at most 400 days), oldest first, as UTC instants: each starts at the first occurrence’s local time in the window’s time zone and lasts its wall-clock length, whatever daylight saving time does.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: OccurrenceListResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async occurrences(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: OccurrencesQuery,
  ): Promise<{ items: OccurrenceView[] }> {
    return this.windows.occurrences(id, rangeOf(new Date(query.from), new Date(query.to)));
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'Read every field change of a change window',
    description:
      'Oldest first: field, old, new, who, when (putting in force, lifting and retiring too).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: HistoryPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  @HistoryCsvExport('change-window')
  async history(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<HistoryEntryView>> {
    return this.windows.history(id, query);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a change window',
    description:
      'Merge semantics; null clears the recurrence or the time zone. Needs the ETag as If-Match. A freeze in force keeps its kind, scope and activity until lifted (409). Publishes `itsm.change_window.updated.v1` when anything changed.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: ChangeWindowResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('change:schedule')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateChangeWindowDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeWindowView> {
    const window = await this.windows.change(
      id,
      { ...body, start: instantOf(body.start), end: instantOf(body.end) },
      expectedVersion,
      caller,
    );
    response.setHeader('ETag', entityTag(window.version));
    return window;
  }

  @Post(':id/enforce')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Put a freeze in force',
    description:
      'From now until it is lifted, whatever its occurrences: changes on its scope are refused (unless an emergency with an override reason) and the in-flight ones are held. Only an active freeze; 409 otherwise. Publishes `itsm.change_window.enforced.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiResponse({ status: 200, type: ChangeWindowResponse })
  @ApiProblemResponses(400, 404, 409, 412)
  @RequirePermission('change:schedule')
  async enforce(
    @Param('id', ParseUuidPipe) id: string,
    @ExpectedVersionIfGiven() expectedVersion: number | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeWindowView> {
    const window = await this.windows.enforce(id, expectedVersion, caller);
    response.setHeader('ETag', entityTag(window.version));
    return window;
  }

  @Post(':id/lift')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Lift a freeze in force',
    description:
      'The changes it held are released; its planned occurrences still count. 409 when it is not in force. Publishes `itsm.change_window.lifted.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiResponse({ status: 200, type: ChangeWindowResponse })
  @ApiProblemResponses(400, 404, 409, 412)
  @RequirePermission('change:schedule')
  async lift(
    @Param('id', ParseUuidPipe) id: string,
    @ExpectedVersionIfGiven() expectedVersion: number | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeWindowView> {
    const window = await this.windows.lift(id, expectedVersion, caller);
    response.setHeader('ETag', entityTag(window.version));
    return window;
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Retire a change window',
    description:
      'It stays readable (`active: false`, `retiredAt`) but counts for nothing and takes no further change; retiring it again changes nothing. A freeze in force is lifted first (409). Needs the ETag as If-Match. Publishes `itsm.change_window.retired.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: ChangeWindowResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('change:schedule')
  async retire(
    @Param('id', ParseUuidPipe) id: string,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeWindowView> {
    const window = await this.windows.retire(id, expectedVersion, caller);
    response.setHeader('ETag', entityTag(window.version));
    return window;
  }
}
