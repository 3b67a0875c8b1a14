import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ParseUuidPipe } from '@itsm/platform';
import { type ChangeView } from '../../changes/application/change-view';
import { ChangeResponse } from '../../changes/http/dto/change.response';
import { PipelineService, type GateView } from '../application/pipeline.service';
import { DeploymentReportDto, GateResponse } from './pipeline.dto';

/** CI/CD pipelines: a change's gate, and the deployments that implement it. Thin. */
@ApiTags('changes')
@Controller('api/v1/changes')
export class PipelineController {
  constructor(private readonly pipeline: PipelineService) {}

  @Get(':id/gate')
  @ApiOperation({
    summary: "Ask a change's gate",
    description:
      '`awaiting` (approval, or the planned window, still to come), `allowed` (authorised, inside its window, nothing blocking), or `prevented` (rejected, cancelled, on hold, inside a blackout or freeze, window over), with the reasons. A decision other than the last one asked is published as `itsm.change.gate_decided.v1`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: GateResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('change:read')
  gate(@Param('id', ParseUuidPipe) id: string): Promise<GateView> {
    return this.pipeline.gate(id);
  }

  @Post(':id/deployments')
  @HttpCode(200)
  @ApiOperation({
    summary: "Report a deployment's start or end",
    description:
      "`started` moves a scheduled change to implement (its gate must allow it: 409 with the gate's reasons otherwise) and sets the actual start; `finished` with an `outcome` moves it to review with that close code and the actual end, and closes it when no post-implementation review is required (successful ones). A repeated report changes nothing.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ChangeResponse })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('change:deploy')
  report(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: DeploymentReportDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ChangeView> {
    return this.pipeline.report(
      id,
      { ...body, at: body.at === undefined ? undefined : new Date(body.at) },
      caller,
    );
  }
}
