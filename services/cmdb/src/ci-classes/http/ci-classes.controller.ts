import { Body, Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  Idempotent,
  entityTag,
  type Page,
  CsvExport,
} from '@itsm/platform';
import { ClassCatalog, type CiClassView } from '../application/class-catalog.service';
import {
  AddAttributesDto,
  CiClassList,
  CiClassResponse,
  CreateCiClassDto,
  UpdateCiClassDto,
} from './dto/ci-class.dto';

@ApiTags('CI classes')
@Controller('api/v1/ci-classes')
export class CiClassesController {
  constructor(private readonly catalog: ClassCatalog) {}

  @Get()
  @ApiOperation({
    summary: 'The class hierarchy',
    description: 'Every class, each with its composed attribute schema.',
  })
  @ApiResponse({ status: 200, type: CiClassList })
  @RequirePermission('cmdb:read')
  @CsvExport<CiClassView>({
    name: 'ci-classes',
    columns: [
      'name',
      'label',
      'parent',
      'description',
      'abstract',
      'builtIn',
      'required',
      'identificationRules',
      'effectiveIdentificationRules',
      'attributes',
      'attributeSchema',
      'sourcePrecedence',
      'effectiveSourcePrecedence',
      'createdAt',
      'updatedAt',
      'version',
    ],
  })
  async list(): Promise<Page<CiClassView>> {
    return { items: await this.catalog.list(), nextCursor: null };
  }

  @Get(':name')
  @ApiOperation({ summary: 'Read a class' })
  @ApiParam({ name: 'name', example: 'virtual_server' })
  @ApiResponse({ status: 200, type: CiClassResponse })
  @ApiProblemResponses(404)
  @RequirePermission('cmdb:read')
  async get(
    @Param('name') name: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CiClassView> {
    const found = await this.catalog.get(name);
    response.setHeader('ETag', entityTag(found.version));
    return found;
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add a class',
    description:
      'Under an existing parent, whose attributes it inherits; an attribute may not redefine an inherited one. Publishes `itsm.ci_class.created.v1`.',
  })
  @ApiResponse({ status: 201, type: CiClassResponse })
  @ApiProblemResponses(400)
  @RequirePermission('cmdb:write')
  @Idempotent()
  async create(
    @Body() body: CreateCiClassDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CiClassView> {
    const created = await this.catalog.create(
      {
        name: body.name,
        label: body.label,
        parent: body.parent,
        description: body.description ?? '',
        abstract: body.abstract ?? false,
        attributes: body.attributes ?? {},
        required: body.required ?? [],
        identificationRules: body.identificationRules ?? null,
        sourcePrecedence: body.sourcePrecedence ?? {},
      },
      caller.username,
    );
    response.location(`/api/v1/ci-classes/${created.name}`).setHeader('ETag', entityTag(1));
    return created;
  }

  @Patch(':name')
  @ApiOperation({
    summary: 'Change a class',
    description:
      'Its description, identification rules or per-field source precedence; built-in classes too. Needs the ETag as If-Match. CIs are not touched: the rules apply from the next import on. Publishes `itsm.ci_class.updated.v1` with the changed fields.',
  })
  @ApiParam({ name: 'name', example: 'server' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the class as read.' })
  @ApiResponse({ status: 200, type: CiClassResponse })
  @ApiProblemResponses(400, 404, 412, 428)
  @RequirePermission('cmdb:write')
  async change(
    @Param('name') name: string,
    @Body() body: UpdateCiClassDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CiClassView> {
    const changed = await this.catalog.change(name, body, expectedVersion, caller.username);
    response.setHeader('ETag', entityTag(changed.version));
    return changed;
  }

  @Post(':name/attributes')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add attributes to a class',
    description:
      'Optional attributes, inherited by its subclasses. Publishes `itsm.ci_class.updated.v1`.',
  })
  @ApiParam({ name: 'name', example: 'server' })
  @ApiResponse({ status: 200, type: CiClassResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('cmdb:write')
  async addAttributes(
    @Param('name') name: string,
    @Body() body: AddAttributesDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CiClassView> {
    const changed = await this.catalog.addAttributes(name, body.attributes, caller.username);
    response.setHeader('ETag', entityTag(changed.version));
    return changed;
  }
}
