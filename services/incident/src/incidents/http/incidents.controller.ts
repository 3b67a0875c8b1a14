import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ExpectedVersion, Idempotent, entityTag } from '@itsm/platform';
import { IncidentsService, type IncidentView } from '../application/incidents.service';
import { CreateIncidentDto } from './dto/create-incident.dto';
import { IncidentResponse } from './dto/incident.response';
import { UpdateIncidentDto } from './dto/update-incident.dto';

@ApiTags('incidents')
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Open an incident',
    description:
      'Records the incident with state `new`, its priority from impact and urgency and the caller as requester, and publishes `itsm.incident.created.v1`.',
  })
  @ApiResponse({
    status: 201,
    description: 'The incident as recorded.',
    type: IncidentResponse,
    headers: {
      Location: { description: 'The URL of the new incident.', schema: { type: 'string' } },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400, 409, 422)
  @RequirePermission('incident:create')
  @Idempotent()
  async create(
    @Body() body: CreateIncidentDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IncidentView> {
    const incident = await this.incidents.open({
      ...body,
      source: body.source ?? 'portal',
      requester: caller.username,
    });
    response
      .location(`/api/v1/incidents/${incident.id}`)
      .setHeader('ETag', entityTag(incident.version));
    return incident;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an incident' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The id of the incident.' })
  @ApiResponse({ status: 200, description: 'The incident.', type: IncidentResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('incident:read')
  async get(
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IncidentView> {
    const incident = await this.incidents.get(id, caller);
    response.setHeader('ETag', entityTag(incident.version));
    return incident;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change an incident',
    description:
      'Needs the ETag the incident was read with as If-Match; publishes `itsm.incident.updated.v1` when a value changed.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The id of the incident.' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the incident as read.' })
  @ApiResponse({
    status: 200,
    description: 'The incident after the change.',
    type: IncidentResponse,
  })
  @ApiProblemResponses(400, 404, 412, 428)
  @RequirePermission('incident:update')
  async update(
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @Body() body: UpdateIncidentDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IncidentView> {
    const incident = await this.incidents.change(id, body, expectedVersion, caller);
    response.setHeader('ETag', entityTag(incident.version));
    return incident;
  }
}
