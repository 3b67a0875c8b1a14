import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type RelationshipSnapshot } from '@itsm/contracts';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  Idempotent,
  ParseUuidPipe,
  type Page,
  CsvExport,
} from '@itsm/platform';
import { RelationshipsService } from '../application/relationships.service';
import {
  CreateRelationshipDto,
  RelationshipListQuery,
  RelationshipPage,
  RelationshipResponse,
} from './dto/relationship.dto';

@ApiTags('relationships')
@Controller('api/v1/relationships')
export class RelationshipsController {
  constructor(private readonly relationships: RelationshipsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Relate two CIs',
    description:
      'Each type allows certain class pairs (subclasses included); others are refused with 400 naming `type`. The same type between the same CIs twice is a 409. Publishes `itsm.relationship.created.v1`.',
  })
  @ApiResponse({ status: 201, type: RelationshipResponse })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the first answer.',
  })
  @ApiProblemResponses(400, 409)
  @RequirePermission('cmdb:write')
  @Idempotent()
  async create(
    @Body() body: CreateRelationshipDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RelationshipSnapshot> {
    const relationship = await this.relationships.create(
      body.type,
      body.sourceId,
      body.targetId,
      caller,
    );
    response.location(`/api/v1/relationships/${relationship.id}`);
    return relationship;
  }

  @Get()
  @ApiOperation({
    summary: 'List relationships',
    description:
      'Current ones, or with `asOf` those that stood at that time (including ones deleted since).',
  })
  @ApiResponse({ status: 200, type: RelationshipPage })
  @ApiProblemResponses(400)
  @RequirePermission('cmdb:read')
  @CsvExport<RelationshipSnapshot>({
    name: 'relationships',
    columns: [
      'id',
      'type',
      'sourceId',
      'targetId',
      'createdAt',
      'createdBy',
      'deletedAt',
      'deletedBy',
    ],
  })
  list(
    @Query() query: RelationshipListQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<RelationshipSnapshot>> {
    return this.relationships.list(query, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a relationship (deleted ones too)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: RelationshipResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('cmdb:read')
  get(
    @Param('id', ParseUuidPipe) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<RelationshipSnapshot> {
    return this.relationships.get(id, caller);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Delete a relationship',
    description:
      "It stays readable (with `deletedAt`) and in both CIs' history. Publishes `itsm.relationship.deleted.v1`.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: RelationshipResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('cmdb:write')
  delete(
    @Param('id', ParseUuidPipe) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<RelationshipSnapshot> {
    return this.relationships.delete(id, caller);
  }
}
