import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  Idempotent,
  entityTag,
  type Page,
} from '@itsm/platform';
import { type CatalogItemView } from '../application/catalog-item-view';
import { CatalogItemsService } from '../application/catalog-items.service';
import {
  CreateCatalogItemDto,
  ListCatalogItemsQuery,
  UpdateCatalogItemDto,
} from './dto/catalog-item.dto';
import { CatalogItemPageResponse, CatalogItemResponse } from './dto/catalog-item.response';

/** Whoever may read service requests browses the catalogue (requesters raise them from it). */
const READ = 'request:read';
const MANAGE = 'catalog:manage';

/** The service catalogue: what requesters may ask for (docs/incidents.md). Thin. */
@ApiTags('service catalogue')
@Controller('api/v1/catalog-items')
export class CatalogItemsController {
  constructor(private readonly catalog: CatalogItemsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add an item to the service catalogue',
    description:
      'Its `key` is what requests name as `catalogItem`; a `fulfilmentGroup` must be a group of the directory. Publishes `itsm.catalog_item.created.v1`. A key taken already is a 409 `catalog-item-exists`.',
  })
  @ApiResponse({
    status: 201,
    type: CatalogItemResponse,
    headers: {
      Location: { description: 'The URL of the new item.', schema: { type: 'string' } },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400, 403, 409, 422)
  @RequirePermission(MANAGE)
  @Idempotent()
  async create(
    @Body() body: CreateCatalogItemDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CatalogItemView> {
    const item = await this.catalog.create(body, caller);
    response
      .location(`/api/v1/catalog-items/${item.key}`)
      .setHeader('ETag', entityTag(item.version));
    return item;
  }

  @Get()
  @ApiOperation({
    summary: 'Browse the service catalogue',
    description:
      'By category, then name. Filters combine (AND). Keyset-paged: pass `nextCursor` back with the same filters.',
  })
  @ApiResponse({ status: 200, type: CatalogItemPageResponse })
  @ApiProblemResponses(400, 403)
  @RequirePermission(READ)
  async list(@Query() query: ListCatalogItemsQuery): Promise<Page<CatalogItemView>> {
    return this.catalog.list({
      text: query.q,
      category: query.category,
      active: query.active,
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  @Get(':key')
  @ApiOperation({ summary: 'Read a catalogue item' })
  @ApiParam({ name: 'key', description: "The item's key, e.g. laptop-standard." })
  @ApiResponse({ status: 200, type: CatalogItemResponse })
  @ApiProblemResponses(403, 404)
  @RequirePermission(READ)
  async get(
    @Param('key') key: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CatalogItemView> {
    const item = await this.catalog.get(key);
    response.setHeader('ETag', entityTag(item.version));
    return item;
  }

  @Patch(':key')
  @ApiOperation({
    summary: 'Change or retire a catalogue item',
    description:
      'Merge semantics; null clears the fulfilment group; `active: false` retires the item (never deleted: requests refer to its key). Needs the ETag as If-Match. Publishes `itsm.catalog_item.updated.v1` when anything changed.',
  })
  @ApiParam({ name: 'key', description: "The item's key." })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: CatalogItemResponse })
  @ApiProblemResponses(400, 403, 404, 412, 428)
  @RequirePermission(MANAGE)
  async update(
    @Param('key') key: string,
    @Body() body: UpdateCatalogItemDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CatalogItemView> {
    const item = await this.catalog.change(key, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(item.version));
    return item;
  }
}
