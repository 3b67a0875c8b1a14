import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  BooleanQuery,
  ExpectedVersion,
  Idempotent,
  PageQuery,
  ParseUuidPipe,
  ParseVersionPipe,
  VERSION_PARAMETER_SCHEMA,
  decodeCursor,
  entityTag,
  pageOf,
  type Page,
  CsvExport,
} from '@itsm/platform';
import { RECORD_TYPES, SLA_KINDS, SLA_TARGETS } from '../domain/sla-definition';
import {
  SlaDefinitionsService,
  toDefinitionView,
  type SlaDefinitionView,
} from '../application/sla-definitions.service';
import {
  CreateSlaDefinitionDto,
  SlaDefinitionPageResponse,
  SlaDefinitionResponse,
  SlaDefinitionVersionsResponse,
  UpdateSlaDefinitionDto,
} from './dto/sla-definition.dto';

class SlaDefinitionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SLA_KINDS })
  @IsOptional()
  @IsIn(SLA_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: SLA_TARGETS })
  @IsOptional()
  @IsIn(SLA_TARGETS)
  target?: string;

  @ApiPropertyOptional({ enum: RECORD_TYPES })
  @IsOptional()
  @IsIn(RECORD_TYPES)
  recordType?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Only active (or only retired) definitions.' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  active?: boolean;
}

const ID_PARAM = { name: 'id', format: 'uuid', description: 'The definition id.' };

@ApiTags('service levels')
@Controller('api/v1/slas')
export class SlaDefinitionsController {
  constructor(private readonly definitions: SlaDefinitionsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Define an SLA or OLA',
    description:
      'Version 1 of the definition. Defaults: kind `sla`, record type `incident`, calendar `24x7`, pause states `[on_hold]`, warnings at 50/75/90 %, start at creation, stop per target, cancel at `cancelled`/`rejected`.',
  })
  @ApiResponse({
    status: 201,
    type: SlaDefinitionResponse,
    description: 'The definition as recorded.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiProblemResponses(400)
  @RequirePermission('sla:write')
  @Idempotent()
  async create(
    @Body() body: CreateSlaDefinitionDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SlaDefinitionView> {
    const definition = await this.definitions.create(body, caller.username);
    response
      .location(`/api/v1/slas/${definition.id}`)
      .setHeader('ETag', entityTag(definition.version));
    return definition;
  }

  @Get()
  @ApiOperation({
    summary: 'List SLA and OLA definitions',
    description: 'Current versions, in name order.',
  })
  @ApiResponse({ status: 200, type: SlaDefinitionPageResponse, description: 'One page.' })
  @ApiProblemResponses(400)
  @RequirePermission('sla:read')
  @CsvExport<SlaDefinitionView>({
    name: 'sla-definitions',
    columns: [
      'id',
      'version',
      'name',
      'description',
      'kind',
      'target',
      'appliesTo',
      'duration',
      'durationMs',
      'calendarId',
      'pauseStates',
      'warningThresholds',
      'startCondition',
      'stopCondition',
      'cancelCondition',
      'active',
      'createdBy',
      'createdAt',
      'supersededAt',
    ],
  })
  async list(@Query() query: SlaDefinitionQuery): Promise<Page<SlaDefinitionView>> {
    const after = query.cursor
      ? decodeCursor(query.cursor, { name: 'text', id: 'uuid' })
      : undefined;
    const rows = await this.definitions.list(
      {
        kind: query.kind,
        target: query.target,
        recordType: query.recordType,
        active: query.active,
      },
      query.limit + 1,
      after,
    );
    return pageOf(rows, query.limit, toDefinitionView, (row) => ({ name: row.name, id: row.id }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an SLA definition (its current version)' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, type: SlaDefinitionResponse, description: 'The current version.' })
  @ApiProblemResponses(400, 404)
  @RequirePermission('sla:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SlaDefinitionView> {
    const definition = await this.definitions.get(id);
    response.setHeader('ETag', entityTag(definition.version));
    return definition;
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Every version of an SLA definition, oldest first' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, type: SlaDefinitionVersionsResponse, description: 'The versions.' })
  @ApiProblemResponses(400, 404)
  @RequirePermission('sla:read')
  async versions(@Param('id', ParseUuidPipe) id: string): Promise<{ items: SlaDefinitionView[] }> {
    return { items: await this.definitions.versions(id) };
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version of an SLA definition (the one a timer names)' })
  @ApiParam(ID_PARAM)
  @ApiParam({ name: 'version', schema: VERSION_PARAMETER_SCHEMA })
  @ApiResponse({ status: 200, type: SlaDefinitionResponse, description: 'That version.' })
  @ApiProblemResponses(400, 404)
  @RequirePermission('sla:read')
  async version(
    @Param('id', ParseUuidPipe) id: string,
    @Param('version', ParseVersionPipe) version: number,
  ): Promise<SlaDefinitionView> {
    return this.definitions.get(id, version);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change an SLA definition',
    description:
      'Needs If-Match. Makes a new version; timers already running keep the version they started with. `active: false` retires it.',
  })
  @ApiParam(ID_PARAM)
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The ETag the definition was read with.',
  })
  @ApiResponse({ status: 200, type: SlaDefinitionResponse, description: 'The new version.' })
  @ApiProblemResponses(400, 404, 412, 428)
  @RequirePermission('sla:write')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateSlaDefinitionDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SlaDefinitionView> {
    const definition = await this.definitions.change(id, body, expectedVersion, caller.username);
    response.setHeader('ETag', entityTag(definition.version));
    return definition;
  }
}
