import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  HistoryPageResponse,
  Idempotent,
  PageQuery,
  ParseUuidPipe,
  entityTag,
  type Page,
  type HistoryEntryView,
  CsvExport,
  HistoryCsvExport,
} from '@itsm/platform';
import { type KnownErrorHit, type KnownErrorView } from '../application/known-error-view';
import { KnownErrorsService } from '../application/known-errors.service';
import { MAX_OFFER_LIMIT } from '../domain/known-error-offers';
import { searchText } from '../domain/known-error-search';
import { CreateKnownErrorDto, UpdateKnownErrorDto } from './dto/known-error.dto';
import { SearchKnownErrorsQuery } from './dto/known-error.query';
import { KnownErrorPageResponse, KnownErrorResponse } from './dto/known-error.response';

/** Known errors: recorded and changed by problem management, searched by the service desk. */
@ApiTags('known-errors')
@Controller('api/v1/known-errors')
export class KnownErrorsController {
  constructor(private readonly knownErrors: KnownErrorsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record a known error',
    description:
      "Numbered `KE` + 7 digits; the title defaults to the symptom's first 200 characters. A `problemId` must name an existing problem. Publishes `itsm.known_error.created.v1`.",
  })
  @ApiResponse({
    status: 201,
    type: KnownErrorResponse,
    headers: {
      Location: { description: 'The URL of the new known error.', schema: { type: 'string' } },
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
    @Body() body: CreateKnownErrorDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<KnownErrorView> {
    const knownError = await this.knownErrors.create(
      { ...body, validUntil: instantOf(body.validUntil) },
      caller,
    );
    response
      .location(`/api/v1/known-errors/${knownError.id}`)
      .setHeader('ETag', entityTag(knownError.revision));
    return knownError;
  }

  @Get()
  @ApiOperation({
    summary: 'Search known errors',
    description:
      'Filters combine (AND). With `q`, ranked full-text search, best first (then newest), each item with its `rank`; without, newest first. Both keyset-paged: pass `nextCursor` back with the same filters. Known errors past `validUntil` are left out unless `includeExpired=true`.',
  })
  @ApiResponse({ status: 200, type: KnownErrorPageResponse })
  @ApiProblemResponses(400)
  @RequirePermission('problem:read')
  @CsvExport<KnownErrorHit>({
    name: 'known-errors',
    batchSize: MAX_OFFER_LIMIT,
    columns: [
      'id',
      'number',
      'title',
      'symptom',
      'rootCause',
      'workaround',
      'solution',
      'errorCode',
      'category',
      'ciIds',
      'ciClass',
      'vendor',
      'model',
      'version',
      'problemId',
      'validUntil',
      'createdBy',
      'createdAt',
      'updatedAt',
      'revision',
      'rank',
    ],
  })
  async search(@Query() query: SearchKnownErrorsQuery): Promise<Page<KnownErrorHit>> {
    return this.knownErrors.search(
      {
        text: searchText(query.q),
        ciId: query.ciId,
        ciClass: query.ciClass,
        errorCode: query.errorCode,
        category: query.category,
        problemId: query.problemId,
        includeExpired: query.includeExpired ?? false,
      },
      { cursor: query.cursor, limit: query.limit },
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a known error' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: KnownErrorResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<KnownErrorView> {
    const knownError = await this.knownErrors.get(id);
    response.setHeader('ETag', entityTag(knownError.revision));
    return knownError;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a known error',
    description:
      'Merge semantics; null clears an optional field (title, symptom and ciIds have nothing to clear to). Needs the ETag as If-Match. Publishes `itsm.known_error.updated.v1` when anything changed.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: KnownErrorResponse })
  @ApiProblemResponses(400, 404, 412, 428)
  @RequirePermission('problem:write')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateKnownErrorDto,
    @ExpectedVersion() expectedRevision: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<KnownErrorView> {
    const knownError = await this.knownErrors.change(
      id,
      {
        ...body,
        validUntil: body.validUntil === undefined ? undefined : instantOf(body.validUntil),
      },
      expectedRevision,
      caller,
    );
    response.setHeader('ETag', entityTag(knownError.revision));
    return knownError;
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'Read every field change of a known error',
    description: 'Oldest first: field, old, new, who, when.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: HistoryPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  @HistoryCsvExport('known-error')
  async history(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<HistoryEntryView>> {
    return this.knownErrors.history(id, query);
  }
}

/** A validated date-time as an instant; null stays null (clears), absent stays absent. */
function instantOf(value: string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}
