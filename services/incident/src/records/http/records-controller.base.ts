import {
  Body,
  Get,
  Inject,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  applyDecorators,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import { type Response } from 'express';
import { type RecordType } from '@itsm/contracts';
import { CurrentCaller, RequirePermission, hasPermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  CsvExport,
  ExpectedVersion,
  ExpectedVersionIfGiven,
  PageQuery,
  ParseUuidPipe,
  ProblemException,
  entityTag,
  parseSort,
  type Page,
  HistoryPageResponse,
  JournalEntryResponse,
  JournalPageResponse,
  type HistoryEntryView,
  type JournalEntryView,
  HistoryCsvExport,
  JournalCsvExport,
} from '@itsm/platform';
import { type RecordView } from '../application/record-view';
import { RecordsService } from '../application/records.service';
import { type NewRecord } from '../domain/service-record';
import { RECORD_SORT_FIELDS } from '../persistence/records.repository';
import { JournalEntryDto, TransitionDto, UpdateRecordDto } from './dto/create-record.dto';
import {
  JournalQuery,
  type ListIncidentsQuery,
  type ListRequestsQuery,
} from './dto/list-records.query';
import { OpenTransitionsResponse, RecordPageResponse, RecordResponse } from './dto/record.response';
import { openTransitions } from '../domain/state-machine';

/**
 * The endpoints incidents and service requests share, for one record type; each type's
 * controller extends it with its own create. Thin: parse, call the service, set headers.
 */

/** Either list's query: the type's own filters are absent from the other's. */
type AnyListQuery = Partial<ListIncidentsQuery & ListRequestsQuery> &
  Pick<ListIncidentsQuery, 'limit'>;

/** The columns of a record list's CSV export, in this order (docs/api-conventions.md). */
export const RECORD_CSV_COLUMNS = [
  'number',
  'id',
  'type',
  'state',
  'priority',
  'impact',
  'urgency',
  'title',
  'description',
  'requester',
  'source',
  'category',
  'subcategory',
  'catalogItem',
  'businessServiceId',
  'ciIds',
  'assignmentGroup',
  'assignee',
  'major',
  'majorCandidate',
  'parentId',
  'problemId',
  'holdReason',
  'awaitingChangeId',
  'escalationLevel',
  'priorityOverrideReason',
  'resolutionCode',
  'resolutionNotes',
  'openedAt',
  'firstResponseAt',
  'resolvedAt',
  'closedAt',
  'reopenCount',
  'tags',
  'externalRef',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof RecordView)[];

/** What a record type's list endpoint is: GET on the collection, keyset-paged, documented. */
export function ListRecordsEndpoint(type: RecordType): MethodDecorator {
  const noun = type === 'incident' ? 'incident' : 'service request';
  return applyDecorators(
    Get(),
    CsvExport<RecordView>({ name: `${type}s`, columns: RECORD_CSV_COLUMNS }),
    ApiOperation({
      summary: `List ${noun}s`,
      description:
        'Filters combine (AND); values of one filter separated by commas combine (OR). Keyset-paged.',
    }),
    ApiResponse({ status: 200, type: RecordPageResponse }),
    ApiProblemResponses(400),
    RequirePermission(`${type}:read`),
  );
}

export function RecordsControllerBase(type: RecordType) {
  const noun = type === 'incident' ? 'incident' : 'service request';

  abstract class RecordsController {
    // Explicit: an undecorated base class carries no constructor metadata for Nest to read.
    constructor(@Inject(RecordsService) readonly records: RecordsService) {}

    /** The requester of a new record: the caller, or someone the caller works for. */
    protected requesterFor(caller: Caller, requested: string | undefined): string {
      if (!requested || requested === caller.username) return caller.username;
      if (!hasPermission(caller.roles, `${type}:update`)) {
        throw new ProblemException(
          403,
          'forbidden',
          'Forbidden',
          `Only those who work ${noun}s may open one on behalf of someone else.`,
        );
      }
      return requested;
    }

    protected async openAndAnswer(
      input: NewRecord,
      caller: Caller,
      response: Response,
    ): Promise<RecordView> {
      const record = await this.records.open(input, caller);
      response
        .location(`/api/v1/${type}s/${record.id}`)
        .setHeader('ETag', entityTag(record.version));
      return record;
    }

    /** The list both types answer; each type's controller declares its own query class. */
    protected async listRecords(query: AnyListQuery, caller: Caller): Promise<Page<RecordView>> {
      const sort = parseSort(query.sort, RECORD_SORT_FIELDS, {
        field: 'openedAt',
        direction: 'DESC',
      });
      return this.records.list(
        type,
        {
          filter: {
            states: query.state,
            priorities: query.priority,
            assignmentGroups: query.assignmentGroup,
            assignee: query.assignee,
            unassigned: query.unassigned,
            requester: query.requester,
            businessServiceId: query.businessServiceId,
            ciId: query.ciId,
            category: query.category,
            subcategory: query.subcategory,
            catalogItem: query.catalogItem,
            source: query.source,
            major: query.major,
            parentId: query.parentId,
            problemId: query.problemId,
            externalRef: query.externalRef,
            tags: query.tag?.map((tag) => tag.toLowerCase()),
            minEscalationLevel: query.escalationLevel,
            openedFrom: query.openedFrom,
            openedTo: query.openedTo,
            updatedFrom: query.updatedFrom,
            updatedTo: query.updatedTo,
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
    @ApiOperation({ summary: `Read a ${noun}` })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiResponse({ status: 200, type: RecordResponse })
    @ApiProblemResponses(400, 404)
    @RequirePermission(`${type}:read`)
    async get(
      @Param('id', ParseUuidPipe) id: string,
      @CurrentCaller() caller: Caller,
      @Res({ passthrough: true }) response: Response,
    ): Promise<RecordView> {
      const record = await this.records.get(type, id, caller);
      response.setHeader('ETag', entityTag(record.version));
      return record;
    }

    @Patch(':id')
    @ApiOperation({
      summary: `Change a ${noun}`,
      description:
        'Merge semantics; null clears an optional field. Needs the ETag as If-Match. Emits updated, assigned, priority_changed and/or major_declared for what changed.',
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
    @ApiResponse({ status: 200, type: RecordResponse })
    @ApiProblemResponses(400, 404, 409, 412, 428)
    @RequirePermission(`${type}:update`)
    async update(
      @Param('id', ParseUuidPipe) id: string,
      @Body() body: UpdateRecordDto,
      @ExpectedVersion() expectedVersion: number,
      @CurrentCaller() caller: Caller,
      @Res({ passthrough: true }) response: Response,
    ): Promise<RecordView> {
      const record = await this.records.change(type, id, body, expectedVersion, caller);
      response.setHeader('ETag', entityTag(record.version));
      return record;
    }

    @Get(':id/transitions')
    @ApiOperation({
      summary: `The state changes open to a ${noun}`,
      description:
        "The moves the state machine allows from the record's state, each with the fields a `POST .../transitions` to it must and may carry; empty when the state is final. Making one still needs the update permission (docs/incidents.md).",
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiResponse({ status: 200, type: OpenTransitionsResponse })
    @ApiProblemResponses(400, 404)
    @RequirePermission(`${type}:read`)
    async openTransitions(
      @Param('id', ParseUuidPipe) id: string,
      @CurrentCaller() caller: Caller,
    ): Promise<OpenTransitionsResponse> {
      const record = await this.records.get(type, id, caller);
      return {
        id: record.id,
        state: record.state,
        transitions: openTransitions(type, record),
      };
    }

    @Post(':id/transitions')
    @HttpCode(200)
    @ApiOperation({
      summary: `Move a ${noun} to another state`,
      description:
        '`{ to, ...the fields the transition needs }`. A transition the state machine does not allow is a 409 listing the allowed ones (docs/incidents.md).',
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'Optional: refuse (412) if the record moved on.',
    })
    @ApiResponse({ status: 200, type: RecordResponse })
    @ApiProblemResponses(400, 404, 409, 412)
    @RequirePermission(`${type}:update`)
    async transition(
      @Param('id', ParseUuidPipe) id: string,
      @Body() body: TransitionDto,
      @ExpectedVersionIfGiven() expectedVersion: number | undefined,
      @CurrentCaller() caller: Caller,
      @Res({ passthrough: true }) response: Response,
    ): Promise<RecordView> {
      const record = await this.records.transition(type, id, body, expectedVersion, caller);
      response.setHeader('ETag', entityTag(record.version));
      return record;
    }

    @Get(':id/journal')
    @ApiOperation({
      summary: `Read a ${noun}'s journal`,
      description: 'Oldest first. Requesters see comments only; work notes are internal.',
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiResponse({ status: 200, type: JournalPageResponse })
    @ApiProblemResponses(400, 404)
    @RequirePermission(`${type}:read`)
    @JournalCsvExport(type)
    async journal(
      @Param('id', ParseUuidPipe) id: string,
      @Query() query: JournalQuery,
      @CurrentCaller() caller: Caller,
    ): Promise<Page<JournalEntryView>> {
      return this.records.journal(type, id, caller, query);
    }

    @Post(':id/journal')
    @HttpCode(201)
    @ApiOperation({
      summary: `Add a work note or a comment to a ${noun}`,
      description: 'Comments are visible to the requester; work notes need the update permission.',
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiResponse({ status: 201, type: JournalEntryResponse })
    @ApiProblemResponses(400, 403, 404, 409)
    @RequirePermission(`${type}:comment`)
    async addJournalEntry(
      @Param('id', ParseUuidPipe) id: string,
      @Body() body: JournalEntryDto,
      @CurrentCaller() caller: Caller,
    ): Promise<JournalEntryView> {
      return this.records.addJournalEntry(type, id, body, caller);
    }

    @Get(':id/history')
    @ApiOperation({
      summary: `Read every field change of a ${noun}`,
      description: 'Oldest first: field, old, new, who, when.',
    })
    @ApiParam({ name: 'id', format: 'uuid' })
    @ApiResponse({ status: 200, type: HistoryPageResponse })
    @ApiProblemResponses(400, 404)
    @RequirePermission(`${type}:read`)
    @HistoryCsvExport(type)
    async history(
      @Param('id', ParseUuidPipe) id: string,
      @Query() query: PageQuery,
      @CurrentCaller() caller: Caller,
    ): Promise<Page<HistoryEntryView>> {
      return this.records.history(type, id, caller, query);
    }
  }
  return RecordsController;
}
