import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { type Response } from 'express';
import { CallerIdentity, type Caller } from '@itsm/platform';
import { IncidentsService, type IncidentView } from '../application/incidents.service';
import { CreateIncidentDto } from './dto/create-incident.dto';

@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @HttpCode(201)
  async create(
    @Body() body: CreateIncidentDto,
    @CallerIdentity() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IncidentView> {
    const incident = await this.incidents.open({
      ...body,
      source: body.source ?? 'portal',
      requester: caller.username,
    });
    response.location(`/api/v1/incidents/${incident.id}`);
    return incident;
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<IncidentView> {
    return this.incidents.get(id);
  }
}
