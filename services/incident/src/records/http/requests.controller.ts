import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, Idempotent } from '@itsm/platform';
import { type RecordView } from '../application/record-view';
import { CreateRequestDto } from './dto/create-record.dto';
import { RecordResponse } from './dto/record.response';
import { RecordsControllerBase } from './records-controller.base';

/** Requests are asked for, not suffered: low impact and urgency unless the requester says otherwise. */
const DEFAULT_REQUEST_LEVEL = 3;

@ApiTags('service requests')
@Controller('api/v1/requests')
export class RequestsController extends RecordsControllerBase('request') {
  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Submit a service request',
    description:
      'Records the request for a catalog item in state `submitted` and publishes `itsm.request.created.v1`. Impact and urgency default to 3.',
  })
  @ApiResponse({
    status: 201,
    type: RecordResponse,
    headers: {
      Location: { description: 'The URL of the new request.', schema: { type: 'string' } },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400, 403, 409, 422)
  @RequirePermission('request:create')
  @Idempotent()
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
}
