import { Body, Controller, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, type Caller } from '@itsm/auth';
import { type Page } from '@itsm/platform';
import { type RecordView } from '../application/record-view';
import { CreateRequestDto } from './dto/create-record.dto';
import { CreateRecordEndpoint } from './create-record.endpoint';
import { ListRequestsQuery } from './dto/list-records.query';
import { ListRecordsEndpoint, RecordsControllerBase } from './records-controller.base';

/** Requests are asked for, not suffered: low impact and urgency unless the requester says otherwise. */
const DEFAULT_REQUEST_LEVEL = 3;

@ApiTags('service requests')
@Controller('api/v1/requests')
export class RequestsController extends RecordsControllerBase('request') {
  @CreateRecordEndpoint('request', {
    summary: 'Submit a service request',
    description:
      'Records the request for a catalog item in state `submitted` and publishes `itsm.request.created.v1`. Impact and urgency default to 3.',
  })
  async create(
    @Body() body: CreateRequestDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RecordView> {
    return this.openAndAnswer(
      {
        ...body,
        type: 'request',
        source: body.source ?? 'portal',
        impact: body.impact ?? DEFAULT_REQUEST_LEVEL,
        urgency: body.urgency ?? DEFAULT_REQUEST_LEVEL,
        requester: this.requesterFor(caller, body.requester),
      },
      caller,
      response,
    );
  }

  @ListRecordsEndpoint('request')
  async list(
    @Query() query: ListRequestsQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<RecordView>> {
    return this.listRecords(query, caller);
  }
}
