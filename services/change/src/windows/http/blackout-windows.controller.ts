import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  Idempotent,
  NotFoundProblem,
  ParseUuidPipe,
  entityTag,
  type Page,
  CsvExport,
} from '@itsm/platform';
import { type ChangeWindowView } from '../application/change-window-view';
import { ChangeWindowsService, optionalRange } from '../application/change-windows.service';
import {
  BLACKOUT_KINDS,
  CreateBlackoutWindowDto,
  ListBlackoutWindowsQuery,
} from './dto/blackout-window.dto';
import { ChangeWindowPageResponse, ChangeWindowResponse } from './dto/change-window.response';

const isBlackout = (window: ChangeWindowView) =>
  (BLACKOUT_KINDS as readonly string[]).includes(window.kind);

/**
 * Blackout windows as the product names them: the change windows that refuse changes
 * (kinds blackout and freeze). Changing, enforcing and retiring one happens at
 * `/api/v1/change-windows/{id}`, where every kind lives. Thin.
 */
@ApiTags('change-windows')
@Controller('api/v1/blackout-windows')
export class BlackoutWindowsController {
  constructor(private readonly windows: ChangeWindowsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Define a blackout window',
    description:
      'A change window of kind `blackout` (the default) or `freeze`; the same fields and rules as `POST /api/v1/change-windows`, and the window answers there too (`Location`). Publishes `itsm.change_window.created.v1`.',
  })
  @ApiResponse({ status: 201, type: ChangeWindowResponse })
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
    @Body() body: CreateBlackoutWindowDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeWindowView> {
    const window = await this.windows.create(
      {
        ...body,
        kind: body.kind ?? 'blackout',
        start: new Date(body.start),
        end: new Date(body.end),
      },
      caller,
    );
    response
      .location(`/api/v1/change-windows/${window.id}`)
      .setHeader('ETag', entityTag(window.version));
    return window;
  }

  @Get()
  @ApiOperation({
    summary: 'List blackout windows',
    description:
      'The change windows of kind blackout and freeze, with the filters of `GET /api/v1/change-windows`.',
  })
  @ApiResponse({ status: 200, type: ChangeWindowPageResponse })
  @ApiProblemResponses(400)
  @RequirePermission('change:read')
  @CsvExport<ChangeWindowView>({
    name: 'blackout-windows',
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
  list(@Query() query: ListBlackoutWindowsQuery): Promise<Page<ChangeWindowView>> {
    return this.windows.list({
      kinds: [...BLACKOUT_KINDS],
      active: query.active,
      inForce: query.inForce,
      range: optionalRange(
        query.from === undefined ? undefined : new Date(query.from),
        query.to === undefined ? undefined : new Date(query.to),
      ),
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a blackout window', description: '404 for a maintenance window.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeWindowResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeWindowView> {
    const window = await this.windows.get(id);
    if (!isBlackout(window)) throw new NotFoundProblem('Blackout window', id);
    response.setHeader('ETag', entityTag(window.version));
    return window;
  }
}
