import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ParseUuidPipe } from '@itsm/platform';
import { type ChangeView } from '../../changes/application/change-view';
import { ChangeResponse } from '../../changes/http/dto/change.response';
import { ChangeLinksService } from '../application/change-links.service';
import { INCIDENT_RELATIONS, type IncidentRelation } from '../domain/change-links';

export class LinkIncidentsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  incidentIds!: string[];

  @ApiPropertyOptional({
    enum: INCIDENT_RELATIONS,
    default: 'fixes',
    description:
      "`fixes`: incidents the change resolves; `caused`: incidents the change caused (counted in its group's record and the change failure rate).",
  })
  @IsOptional()
  @IsIn(INCIDENT_RELATIONS)
  relation: IncidentRelation = 'fixes';
}

export class LinkProblemsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  problemIds!: string[];
}

/** A change's links to incidents (fixed or caused) and problems (fixed). Thin. */
@ApiTags('changes')
@Controller('api/v1/changes')
export class ChangeLinksController {
  constructor(private readonly links: ChangeLinksService) {}

  @Post(':id/incidents')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link incidents to a change',
    description:
      'As incidents it fixes, or incidents it caused. Publishes `itsm.change.incidents_linked.v1` with the relation.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:write')
  linkIncidents(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: LinkIncidentsDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ChangeView> {
    return this.links.linkIncidents(id, body.incidentIds, body.relation, caller);
  }

  @Delete(':id/incidents/:incidentId')
  @ApiOperation({ summary: 'Unlink an incident from a change' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'incidentId', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:write')
  unlinkIncident(
    @Param('id', ParseUuidPipe) id: string,
    @Param('incidentId', ParseUuidPipe) incidentId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ChangeView> {
    return this.links.unlinkIncident(id, incidentId, caller);
  }

  @Post(':id/problems')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link problems a change fixes',
    description: 'Publishes `itsm.change.problems_linked.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:write')
  linkProblems(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: LinkProblemsDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ChangeView> {
    return this.links.linkProblems(id, body.problemIds, caller);
  }

  @Delete(':id/problems/:problemId')
  @ApiOperation({ summary: 'Unlink a problem from a change' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'problemId', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:write')
  unlinkProblem(
    @Param('id', ParseUuidPipe) id: string,
    @Param('problemId', ParseUuidPipe) problemId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ChangeView> {
    return this.links.unlinkProblem(id, problemId, caller);
  }
}
