import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type CiSnapshot } from '@itsm/contracts';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  Idempotent,
  PageQuery,
  ParseUuidPipe,
  entityTag,
  type Page,
  CsvExport,
} from '@itsm/platform';
import { CisService, type HistoryEntryView } from '../application/cis.service';
import { AsOfQuery } from '../../shared/as-of.query';
import { CiListQuery } from './dto/ci-list.query';
import { CiPage, CiResponse, HistoryPage } from './dto/ci.response';
import { CreateCiDto } from './dto/create-ci.dto';
import { UpdateCiDto } from './dto/update-ci.dto';

@ApiTags('configuration items')
@Controller('api/v1/cis')
export class CisController {
  constructor(private readonly cis: CisService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record a CI',
    description:
      "Validates the attributes against the class's schema (inherited attributes included), refuses a CI whose serial number, FQDN, host name or cloud id another CI has (409), and publishes `itsm.ci.created.v1`.",
  })
  @ApiResponse({ status: 201, type: CiResponse, description: 'The CI as recorded.' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the first answer.',
  })
  @ApiProblemResponses(400, 409)
  @RequirePermission('cmdb:write')
  @Idempotent()
  async create(
    @Body() body: CreateCiDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CiSnapshot> {
    const { class: className, ...values } = body;
    const ci = await this.cis.create(className, values, caller.username);
    response.location(`/api/v1/cis/${ci.id}`).setHeader('ETag', entityTag(ci.version));
    return ci;
  }

  @Get()
  @ApiOperation({
    summary: 'List CIs',
    description:
      'In id order (keyset pagination). `ids` reads up to 100 CIs by id in one call; `staleDays` lists the CIs discovery has not seen for that many days. Restricted CIs are listed only to their owner group and to those who see every record.',
  })
  @ApiResponse({ status: 200, type: CiPage })
  @ApiProblemResponses(400)
  @RequirePermission('cmdb:read')
  @CsvExport<CiSnapshot>({
    name: 'cis',
    columns: [
      'id',
      'class',
      'name',
      'status',
      'environment',
      'ownerGroup',
      'restricted',
      'criticality',
      'identifiers',
      'attributes',
      'sources',
      'lastDiscoveredAt',
      'createdAt',
      'updatedAt',
      'version',
    ],
  })
  list(@Query() query: CiListQuery, @CurrentCaller() caller: Caller): Promise<Page<CiSnapshot>> {
    return this.cis.list(query, caller);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read a CI, now or as it was at a past time (`asOf`)',
    description:
      'A restricted CI is 404 for anyone outside its owner group who does not see every record.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: CiResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('cmdb:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: AsOfQuery,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CiSnapshot> {
    if (query.asOf) return this.cis.getAsOf(id, query.asOf, caller);
    const ci = await this.cis.get(id, caller);
    response.setHeader('ETag', entityTag(ci.version));
    return ci;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a CI',
    description:
      "Needs the ETag as If-Match. New identifiers that another CI has (per its class's rules) are refused with 409 and the other CI's id, as on create. Publishes `itsm.ci.updated.v1` with the changed fields and their previous values (and `itsm.ci.retired.v1` when the status becomes `retired`).",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the CI as read.' })
  @ApiResponse({ status: 200, type: CiResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('cmdb:write')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateCiDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CiSnapshot> {
    const ci = await this.cis.change(id, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(ci.version));
    return ci;
  }

  @Get(':id/history')
  @ApiOperation({
    summary: "A CI's history",
    description:
      'Oldest first: each changed field (`field`, `oldValue`, `newValue`) with who (`actor`) or which discovery source (`source`) changed it and when, the relationships created and deleted, and the changes (CHG…) that touched it.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: HistoryPage })
  @ApiProblemResponses(400, 404)
  @RequirePermission('cmdb:read')
  @CsvExport<HistoryEntryView>({
    name: 'ci-history',
    columns: [
      'at',
      'kind',
      'actor',
      'source',
      'field',
      'oldValue',
      'newValue',
      'changeNumber',
      'version',
      'relationship',
    ],
  })
  history(
    @Param('id', ParseUuidPipe) id: string,
    @Query() page: PageQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<HistoryEntryView>> {
    return this.cis.historyOf(id, caller, page.limit, page.cursor);
  }
}
