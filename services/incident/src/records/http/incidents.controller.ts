import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, Idempotent } from '@itsm/platform';
import { type RecordView } from '../application/record-view';
import { CreateIncidentDto } from './dto/create-record.dto';
import { RecordResponse } from './dto/record.response';
import { RecordsControllerBase } from './records-controller.base';

@ApiTags('incidents')
@Controller('api/v1/incidents')
export class IncidentsController extends RecordsControllerBase('incident') {
  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Open an incident',
    description:
      'Records the incident in state `new`, its priority from the matrix (or overridden with a reason), and publishes `itsm.incident.created.v1`.',
  })
  @ApiResponse({
    status: 201,
    type: RecordResponse,
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
  @ApiProblemResponses(400, 403, 409, 422)
  @RequirePermission('incident:create')
  @Idempotent()
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
}
