import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, Idempotent, type Page } from '@itsm/platform';
import { ClassCatalog, type CiClassView } from '../application/class-catalog.service';
import {
  AddAttributesDto,
  CiClassList,
  CiClassResponse,
  CreateCiClassDto,
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
  async list(): Promise<Page<CiClassView>> {
    return { items: await this.catalog.list(), nextCursor: null };
  }

  @Get(':name')
  @ApiOperation({ summary: 'Read a class' })
  @ApiParam({ name: 'name', example: 'virtual_server' })
  @ApiResponse({ status: 200, type: CiClassResponse })
  @ApiProblemResponses(404)
  @RequirePermission('cmdb:read')
  get(@Param('name') name: string): Promise<CiClassView> {
    return this.catalog.get(name);
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
      },
      caller.username,
    );
    response.location(`/api/v1/ci-classes/${created.name}`);
    return created;
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
  addAttributes(
    @Param('name') name: string,
    @Body() body: AddAttributesDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CiClassView> {
    return this.catalog.addAttributes(name, body.attributes, caller.username);
  }
}
