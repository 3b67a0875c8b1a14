import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ParseUuidPipe } from '@itsm/platform';
import { ImpactService, type ImpactAnalysis } from '../application/impact.service';
import { ImpactQuery, ImpactRequest, ImpactResponse } from './dto/impact.dto';

@ApiTags('configuration items')
@Controller('api/v1/cis')
export class ImpactController {
  constructor(private readonly impact: ImpactService) {}

  @Post('impact')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Impact analysis for a set of CIs',
    description:
      'As the single-CI analysis, from several start CIs at once (a read: needs `cmdb:read`). With `among`, only those CIs are listed (in `items` and `businessServices`) when the walk reaches them: which of them are within `depth` steps, and by which path.',
  })
  @ApiResponse({ status: 200, type: ImpactResponse })
  @ApiProblemResponses(400)
  @RequirePermission('cmdb:read')
  analyseSet(
    @Body() body: ImpactRequest,
    @CurrentCaller() caller: Caller,
  ): Promise<ImpactAnalysis> {
    return this.impact.analyse(
      body.ciIds,
      body.direction,
      body.depth,
      body.limit,
      caller,
      body.among,
    );
  }

  @Get(':id/impact')
  @ApiOperation({
    summary: 'Impact analysis',
    description:
      'The CIs upstream (what depends on this one) or downstream (what it depends on) up to `depth` steps, the nearest `limit` of them listed, each with its distance and one shortest path; cycles are walked once; how many were reached; and every business service reached, with its criticality.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ImpactResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('cmdb:read')
  analyse(
    @Param('id', ParseUuidPipe) id: string,
    @Query() query: ImpactQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<ImpactAnalysis> {
    return this.impact.analyse([id], query.direction, query.depth, query.limit, caller);
  }
}
