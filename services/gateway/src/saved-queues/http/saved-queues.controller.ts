import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  Idempotent,
  ParseUuidPipe,
  entityTag,
  type Page,
} from '@itsm/platform';
import { MAX_SAVED_QUEUES_PER_USER } from '../domain/saved-queue';
import { SavedQueuesService, type SavedQueueView } from '../application/saved-queues.service';
import { CreateSavedQueueDto, UpdateSavedQueueDto } from './saved-queue.requests';
import { SavedQueuePageResponse, SavedQueueResponse } from './saved-queue.response';

export const SAVED_QUEUES_PATH = 'api/v1/me/saved-queues';

const ID_PARAM = { name: 'id', format: 'uuid', description: 'The saved queue.' };

/**
 * The caller's own saved queues (docs/saved-queues.md). Any signed-in caller, whatever
 * their roles: no permission is needed, and nobody reaches another's (404, as a missing one).
 */
@ApiTags('saved-queues')
@Controller(SAVED_QUEUES_PATH)
export class SavedQueuesController {
  constructor(private readonly queues: SavedQueuesService) {}

  @Get()
  @ApiOperation({
    summary: 'Your saved queues, in your order',
    description: 'Only your own, by `position`; in one page (at most 50).',
  })
  @ApiResponse({ status: 200, type: SavedQueuePageResponse })
  async list(@CurrentCaller() caller: Caller): Promise<Page<SavedQueueView>> {
    return { items: await this.queues.list(caller.username), nextCursor: null };
  }

  @Post()
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Save a queue',
    description: `A name, the list it is over and that list's query parameters; it goes last in your order. A name you have already used (whatever its case) is a 409 \`saved-queue-exists\`; past ${MAX_SAVED_QUEUES_PER_USER} queues, a 422 \`too-many-saved-queues\`.`,
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the first answer.',
  })
  @ApiResponse({ status: 201, type: SavedQueueResponse, description: 'The saved queue.' })
  @ApiProblemResponses(
    400,
    { status: 409, description: 'You have a saved queue of that name (`saved-queue-exists`).' },
    { status: 422, description: 'You have as many saved queues as one may keep.' },
  )
  async create(
    @Body() body: CreateSavedQueueDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SavedQueueView> {
    const queue = await this.queues.create(caller.username, {
      name: body.name,
      list: body.list,
      parameters: { ...body.parameters },
      isDefault: body.isDefault ?? false,
    });
    response
      .location(`/${SAVED_QUEUES_PATH}/${queue.id}`)
      .setHeader('ETag', entityTag(queue.version));
    return queue;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your saved queues' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, type: SavedQueueResponse, description: 'The saved queue.' })
  @ApiProblemResponses(400, { status: 404, description: 'You have no saved queue of that id.' })
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SavedQueueView> {
    const queue = await this.queues.get(caller.username, id);
    response.setHeader('ETag', entityTag(queue.version));
    return queue;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Rename, change, move or make default one of your saved queues',
    description:
      'Needs If-Match. `parameters` replaces them all; `position` moves the queue among yours; `isDefault: true` makes it your default.',
  })
  @ApiParam(ID_PARAM)
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag the queue was read with.' })
  @ApiResponse({ status: 200, type: SavedQueueResponse, description: 'The saved queue.' })
  @ApiProblemResponses(
    400,
    { status: 404, description: 'You have no saved queue of that id.' },
    { status: 409, description: 'You have another saved queue of that name.' },
    412,
    428,
  )
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateSavedQueueDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SavedQueueView> {
    const queue = await this.queues.update(caller.username, id, expectedVersion, {
      name: body.name,
      list: body.list,
      parameters: body.parameters && { ...body.parameters },
      position: body.position,
      isDefault: body.isDefault,
    });
    response.setHeader('ETag', entityTag(queue.version));
    return queue;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one of your saved queues; those after it move up' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 204, description: 'Deleted.' })
  @ApiProblemResponses(400, { status: 404, description: 'You have no saved queue of that id.' })
  async remove(
    @Param('id', ParseUuidPipe) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    await this.queues.remove(caller.username, id);
  }
}
