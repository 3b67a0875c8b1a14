import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  PageQuery,
  ParseUuidPipe,
  type Page,
  CsvExport,
} from '@itsm/platform';
import {
  ProblemLinksService,
  type CommunicationOutcome,
  type IncidentLinkOutcome,
  type LinkedIncidentView,
} from '../application/problem-links.service';
import { type ProblemView } from '../application/problem-view';
import { CommunicationDto, LinkChangesDto, LinkIncidentsDto } from './dto/problem.dto';
import {
  CommunicationResponse,
  IncidentLinkResponse,
  LinkedIncidentPageResponse,
  ProblemResponse,
} from './dto/problem.response';

/** A problem's incidents and changes, and the notes it sends to its incidents. */
@ApiTags('problems')
@Controller('api/v1/problems/:id')
export class ProblemLinksController {
  constructor(private readonly links: ProblemLinksService) {}

  @Post('incidents')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link incidents to a problem (bulk)',
    description:
      'All or nothing: every id must be an incident you can see; a closed one only a problem manager links. An incident linked to another problem moves here. Publishes `itsm.problem.incidents_linked.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: IncidentLinkResponse })
  @ApiProblemResponses(400, 403, 404, 409)
  @RequirePermission('problem:write')
  async linkIncidents(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: LinkIncidentsDto,
    @CurrentCaller() caller: Caller,
  ): Promise<IncidentLinkOutcome> {
    return this.links.linkIncidents(id, body.incidentIds, caller);
  }

  @Get('incidents')
  @ApiOperation({ summary: "List a problem's linked incidents (those you can see)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: LinkedIncidentPageResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:read')
  @CsvExport<LinkedIncidentView>({
    name: 'problem-incidents',
    columns: ['id', 'number', 'title', 'state', 'linkedBy', 'linkedAt'],
  })
  async listIncidents(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: PageQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<LinkedIncidentView>> {
    return this.links.listIncidents(id, caller, query);
  }

  @Delete('incidents/:incidentId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unlink an incident from a problem' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'incidentId', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Unlinked.' })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('problem:write')
  async unlinkIncident(
    @Param('id', ParseUuidPipe) id: string,
    @Param('incidentId', ParseUuidPipe) incidentId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    await this.links.unlinkIncident(id, incidentId, caller);
  }

  @Post('changes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Link changes (fixes) to a problem' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProblemResponse })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('problem:write')
  async linkChanges(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: LinkChangesDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ProblemView> {
    return this.links.linkChanges(id, body.changeIds, caller);
  }

  @Delete('changes/:changeId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unlink a change from a problem' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'changeId', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProblemResponse })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('problem:write')
  async unlinkChange(
    @Param('id', ParseUuidPipe) id: string,
    @Param('changeId', ParseUuidPipe) changeId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ProblemView> {
    return this.links.unlinkChange(id, changeId, caller);
  }

  @Post('communications')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Communicate the workaround or the fix to every open linked incident',
    description:
      'One work note on each open incident linked to the problem, written by the incident service from `itsm.problem.workaround_communicated.v1` / `fix_communicated.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 202, type: CommunicationResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('problem:write')
  async communicate(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: CommunicationDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CommunicationOutcome> {
    return this.links.communicate(id, body.kind, body.text, caller);
  }
}
