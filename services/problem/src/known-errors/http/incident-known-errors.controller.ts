import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ParseUuidPipe } from '@itsm/platform';
import { KnownErrorOffersService } from '../application/known-error-offers.service';
import { type KnownErrorOffer } from '../application/known-error-view';
import { OffersQuery } from './dto/known-error.query';
import { KnownErrorOffersResponse } from './dto/known-error.response';

/**
 * The known errors offered on an incident. Under the incidents' path, but answered here,
 * from the problem service's copy of the incident; the gateway routes this one sub-path
 * of `/api/v1/incidents` to the problem service.
 */
@ApiTags('known-errors')
@Controller('api/v1/incidents')
export class IncidentKnownErrorsController {
  constructor(private readonly offers: KnownErrorOffersService) {}

  @Get(':id/known-errors')
  @ApiOperation({
    summary: 'Known errors that may explain an incident',
    description:
      'The valid known errors matching the incident, best first: those sharing a CI with it, then those of its category, ordered within by how well their text matches the incident’s title and description (any word counts; more and weightier words rank higher). Each says why (`matchedBy`) and how strongly (`score`). Answered by the problem service from its copy of the incident, kept from the incident events: an incident opened a moment ago is a 404 until its event has arrived, within seconds. An incident the caller may not see (record-level rule) is a 404 too.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The incident.' })
  @ApiResponse({ status: 200, type: KnownErrorOffersResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  async list(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: OffersQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<{ items: KnownErrorOffer[] }> {
    return this.offers.forIncident(id, caller, query.limit);
  }
}
