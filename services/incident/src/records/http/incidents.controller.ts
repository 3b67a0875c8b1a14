import { Body, Controller, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, type Caller } from '@itsm/auth';
import { type Page } from '@itsm/platform';
import { type RecordView } from '../application/record-view';
import { CreateIncidentDto } from './dto/create-record.dto';
import { CreateRecordEndpoint } from './create-record.endpoint';
import { ListIncidentsQuery } from './dto/list-records.query';
import { ListRecordsEndpoint, RecordsControllerBase } from './records-controller.base';

@ApiTags('incidents')
@Controller('api/v1/incidents')
export class IncidentsController extends RecordsControllerBase('incident') {
  @CreateRecordEndpoint('incident', {
    summary: 'Open an incident',
    description:
      'Records the incident in state `new`, its priority from the matrix (or overridden with a reason), and publishes `itsm.incident.created.v1`.',
  })
  async create(
    @Body() body: CreateIncidentDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordView> {
    return this.openAndAnswer(
      {
        ...body,
        type: 'incident',
        source: body.source ?? 'portal',
        requester: this.requesterFor(caller, body.requester),
      },
      caller,
      response,
    );
  }

  @ListRecordsEndpoint('incident')
  async list(
    @Query() query: ListIncidentsQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<RecordView>> {
    return this.listRecords(query, caller);
  }
}
