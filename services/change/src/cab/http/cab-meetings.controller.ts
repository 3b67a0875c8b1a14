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
import { type CabMeetingSnapshot } from '@itsm/contracts';
import {
  ApiProblemResponses,
  ExpectedVersion,
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
import { type CabAgendaView, type CabOccurrenceView } from '../application/cab-meeting-view';
import { CabMeetingsService, type RecordedDecision } from '../application/cab-meetings.service';
import {
  CabAgendaQuery,
  CabDecisionDto,
  CabOccurrencesQuery,
  CreateCabMeetingDto,
  ListCabMeetingsQuery,
  UpdateCabMeetingDto,
} from './dto/cab-meeting.dto';
import {
  CabAgendaResponse,
  CabMeetingPageResponse,
  CabMeetingResponse,
  CabOccurrenceListResponse,
  RecordedCabDecisionResponse,
} from './dto/cab-meeting.response';

/** Recurring CAB meetings, their agendas, and the decisions recorded at them. Thin. */
@ApiTags('cab-meetings')
@Controller('api/v1/cab-meetings')
export class CabMeetingsController {
  constructor(private readonly meetings: CabMeetingsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Define a recurring CAB meeting',
    description:
      'When it meets (an RRULE from a local first start in a time zone), for how long, for which approver group, and how far ahead its agenda looks. Publishes `itsm.cab_meeting.created.v1`.',
  })
  @ApiResponse({ status: 201, type: CabMeetingResponse })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400)
  @RequirePermission('change:schedule')
  @Idempotent()
  async create(
    @Body() body: CreateCabMeetingDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CabMeetingSnapshot> {
    const meeting = await this.meetings.create(body, caller);
    response
      .location(`/api/v1/cab-meetings/${meeting.id}`)
      .setHeader('ETag', entityTag(meeting.version));
    return meeting;
  }

  @Get()
  @ApiOperation({ summary: 'List CAB meetings', description: 'By name; keyset-paged.' })
  @ApiResponse({ status: 200, type: CabMeetingPageResponse })
  @ApiProblemResponses(400)
  @RequirePermission('change:read')
  @CsvExport<CabMeetingSnapshot>({
    name: 'cab-meetings',
    columns: [
      'id',
      'name',
      'recurrence',
      'firstStart',
      'timeZone',
      'durationMinutes',
      'approverGroup',
      'agendaLookAheadDays',
      'active',
      'retiredAt',
      'retiredBy',
      'createdBy',
      'createdAt',
      'updatedBy',
      'updatedAt',
      'version',
    ],
  })
  list(@Query() query: ListCabMeetingsQuery): Promise<Page<CabMeetingSnapshot>> {
    return this.meetings.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a CAB meeting definition' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: CabMeetingResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CabMeetingSnapshot> {
    const meeting = await this.meetings.get(id);
    response.setHeader('ETag', entityTag(meeting.version));
    return meeting;
  }

  @Get(':id/occurrences')
  @ApiOperation({
    summary: 'List the meetings in a range',
    description:
      'The meetings starting in [from, to) (at most 366 days), each with its end and the end of its agenda’s look-ahead, as UTC instants at the definition’s local time.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: CabOccurrenceListResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  occurrences(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: CabOccurrencesQuery,
  ): Promise<{ items: CabOccurrenceView[] }> {
    return this.meetings.occurrences(id, new Date(query.from), new Date(query.to));
  }

  @Get(':id/agenda')
  @ApiOperation({
    summary: "Read a meeting's agenda and minutes",
    description:
      'The changes whose approval waits on the meeting’s group (in `authorize`, or emergency changes that went ahead and await authorisation after the fact), planned to start before the end of its look-ahead, in the order to take them; and the decisions the meeting recorded. Without `start`: the meeting in progress, or else the next one.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: CabAgendaResponse })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('change:read')
  agenda(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: CabAgendaQuery,
  ): Promise<CabAgendaView> {
    return this.meetings.agenda(id, query.start === undefined ? undefined : new Date(query.start));
  }

  @Post(':id/decisions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record the meeting’s decision on an agenda item',
    description:
      'By a member of the meeting’s group, once the meeting has started: the change’s approval round takes it as the group’s decision (one rejection rejects and returns the change to `new`; when the rule is met the change is scheduled by itself), and the meeting’s minutes keep it. Publishes `itsm.change.approval_decided.v1` with the meeting.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: RecordedCabDecisionResponse })
  @ApiProblemResponses(400, 403, 404, 409)
  @RequirePermission('change:approve')
  decide(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CabDecisionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<RecordedDecision> {
    return this.meetings.decide(
      id,
      {
        meetingStart: new Date(body.meetingStart),
        changeId: body.changeId,
        decision: body.decision,
        comment: body.comment,
      },
      caller,
    );
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Read every field change of a CAB meeting definition' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: HistoryPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  @HistoryCsvExport('cab-meeting')
  history(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<HistoryEntryView>> {
    return this.meetings.history(id, query);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a CAB meeting definition',
    description:
      'Merge semantics. Needs the ETag as If-Match. A retired meeting takes no change (409). Publishes `itsm.cab_meeting.updated.v1` when anything changed.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: CabMeetingResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('change:schedule')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateCabMeetingDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CabMeetingSnapshot> {
    const meeting = await this.meetings.change(id, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(meeting.version));
    return meeting;
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Retire a CAB meeting',
    description:
      'It stays readable (`active: false`) with its minutes, but holds no more meetings; retiring it again changes nothing. Needs the ETag as If-Match. Publishes `itsm.cab_meeting.retired.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: CabMeetingResponse })
  @ApiProblemResponses(400, 404, 412, 428)
  @RequirePermission('change:schedule')
  async retire(
    @Param('id', ParseUuidPipe) id: string,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CabMeetingSnapshot> {
    const meeting = await this.meetings.retire(id, expectedVersion, caller);
    response.setHeader('ETag', entityTag(meeting.version));
    return meeting;
  }
}
