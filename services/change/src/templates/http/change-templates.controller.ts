import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { type ChangeTemplateVersionSnapshot } from '@itsm/contracts';
import {
  ApiProblemResponses,
  ExpectedVersion,
  ExpectedVersionIfGiven,
  Idempotent,
  PageQuery,
  ParseUuidPipe,
  ParseVersionPipe,
  VERSION_PARAMETER_SCHEMA,
  entityTag,
  type Page,
  CsvExport,
} from '@itsm/platform';
import { type ChangeTemplateView } from '../application/change-template-view';
import { ChangeTemplatesService } from '../application/change-templates.service';
import {
  ChangeTemplateTransitionDto,
  CreateChangeTemplateDto,
  ListChangeTemplatesQuery,
  UpdateChangeTemplateDto,
} from './dto/change-template.dto';
import {
  ChangeTemplatePageResponse,
  ChangeTemplateResponse,
  ChangeTemplateVersionPageResponse,
  ChangeTemplateVersionResponse,
} from './dto/change-template.response';

const IF_MATCH_OPTIONAL = {
  name: 'If-Match',
  required: false,
  description: 'Optional: refuse (412) if the template changed since it was read.',
};

/** Standard change templates: propose, approve, publish, version, retire. Thin. */
@ApiTags('change templates')
@Controller('api/v1/change-templates')
export class ChangeTemplatesController {
  constructor(private readonly templates: ChangeTemplatesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Propose a standard change template',
    description:
      'A new template and its version 1, `proposed`. Publishes `itsm.change_template.created.v1`.',
  })
  @ApiResponse({ status: 201, type: ChangeTemplateResponse })
  @ApiProblemResponses(400)
  @RequirePermission('change:write')
  @Idempotent()
  async create(
    @Body() body: CreateChangeTemplateDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTemplateView> {
    const template = await this.templates.create(body, caller);
    response
      .location(`/api/v1/change-templates/${template.id}`)
      .setHeader('ETag', entityTag(template.revision));
    return template;
  }

  @Get()
  @ApiOperation({
    summary: 'List standard change templates',
    description: 'By name; `state=published` lists those standard changes are opened from.',
  })
  @ApiResponse({ status: 200, type: ChangeTemplatePageResponse })
  @ApiProblemResponses(400)
  @RequirePermission('change:read')
  @CsvExport<ChangeTemplateView>({
    name: 'change-templates',
    columns: [
      'id',
      'name',
      'description',
      'state',
      'publishedVersion',
      'draftVersion',
      'latestVersion',
      'createdBy',
      'createdAt',
      'updatedAt',
      'revision',
    ],
  })
  async list(@Query() query: ListChangeTemplatesQuery): Promise<Page<ChangeTemplateView>> {
    return this.templates.list({
      filter: { states: query.state, text: query.q },
      cursor: query.cursor,
      limit: query.limit,
    });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read a standard change template',
    description: 'With its published version and its draft, if any.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeTemplateResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTemplateView> {
    const template = await this.templates.get(id);
    response.setHeader('ETag', entityTag(template.revision));
    return template;
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a template's draft",
    description:
      'Only a `proposed` version changes (409 otherwise: start a new version, or send an approved one back). Merge semantics; `tasks` replaces the list. Needs the ETag as If-Match.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: ChangeTemplateResponse })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('change:write')
  async update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateChangeTemplateDto,
    @ExpectedVersion() expectedRevision: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTemplateView> {
    const template = await this.templates.change(id, body, expectedRevision, caller);
    response.setHeader('ETag', entityTag(template.revision));
    return template;
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a version of a template to another state',
    description:
      '`{ to, reason?, version? }`, the draft (else the published version) unless `version` names another. proposed → approved needs change:approve and someone other than its authors (403); every other step needs change:write. Publishing retires the version published before (superseded). A step the lifecycle does not take is a 409.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiResponse({ status: 200, type: ChangeTemplateResponse })
  @ApiProblemResponses(400, 403, 404, 409, 412)
  @RequirePermission('change:approve')
  async transition(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ChangeTemplateTransitionDto,
    @ExpectedVersionIfGiven() expectedRevision: number | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTemplateView> {
    const template = await this.templates.transition(id, body, expectedRevision, caller);
    response.setHeader('ETag', entityTag(template.revision));
    return template;
  }

  @Get(':id/versions')
  @ApiOperation({ summary: "List a template's versions", description: 'Oldest first.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeTemplateVersionPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async versions(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<ChangeTemplateVersionSnapshot>> {
    return this.templates.versions(id, query);
  }

  @Post(':id/versions')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Start a new draft version of a template',
    description:
      'Copied from the latest version, `proposed`, by the caller. 409 while a draft (proposed or approved) exists.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiResponse({ status: 201, type: ChangeTemplateResponse })
  @ApiProblemResponses(400, 404, 409, 412)
  @RequirePermission('change:write')
  async startVersion(
    @Param('id', ParseUuidPipe) id: string,
    @ExpectedVersionIfGiven() expectedRevision: number | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChangeTemplateView> {
    const template = await this.templates.startVersion(id, expectedRevision, caller);
    response
      .location(`/api/v1/change-templates/${id}/versions/${template.latestVersion}`)
      .setHeader('ETag', entityTag(template.revision));
    return template;
  }

  @Get(':id/versions/:version')
  @ApiOperation({
    summary: 'Read one version of a template',
    description: 'What a standard change opened from it (`templateVersion`) was given.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'version', schema: VERSION_PARAMETER_SCHEMA })
  @ApiResponse({ status: 200, type: ChangeTemplateVersionResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  async version(
    @Param('id', ParseUuidPipe) id: string,
    @Param('version', ParseVersionPipe) version: number,
  ): Promise<ChangeTemplateVersionSnapshot> {
    return this.templates.version(id, version);
  }
}
