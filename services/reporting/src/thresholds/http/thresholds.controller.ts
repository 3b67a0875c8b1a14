import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ParseUuidPipe, answeringDomainErrors } from '@itsm/platform';
import { ThresholdsService, type ThresholdView } from '../application/thresholds.service';
import { CreateThresholdDto, UpdateThresholdDto } from './threshold.dto';
import { ThresholdListResponse, ThresholdResponse } from './threshold.response';

const EVENTS =
  'While enabled, the threshold is evaluated against its current period every `REPORT_THRESHOLD_INTERVAL_MS` (counting every record, whatever the author may see); the first time the figure is past the limit in a period, `itsm.report.threshold_crossed.v1` is published on `itsm.report.events.v1`, and `itsm.report.threshold_cleared.v1` when it comes back within; a new period starts within.';

@ApiTags('reports')
@Controller('api/v1/reports/thresholds')
export class ThresholdsController {
  constructor(private readonly thresholds: ThresholdsService) {}

  @Get()
  @RequirePermission('report:read')
  @ApiOperation({ summary: 'List KPI thresholds', description: EVENTS })
  @ApiResponse({ status: 200, type: ThresholdListResponse })
  async list(): Promise<{ items: ThresholdView[] }> {
    return { items: await this.thresholds.list() };
  }

  @Get(':id')
  @RequirePermission('report:read')
  @ApiOperation({ summary: 'Read a KPI threshold and where its figure stood last' })
  @ApiResponse({ status: 200, type: ThresholdResponse })
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUuidPipe) id: string): Promise<ThresholdView> {
    return this.thresholds.get(id);
  }

  @Post()
  @RequirePermission('report:write')
  @ApiOperation({
    summary: 'Set a threshold on a KPI',
    description: `A limit on a metric's figure (with its filters) over the current day, ISO week or month. You need the read permission of the records the metric counts. ${EVENTS}`,
  })
  @ApiResponse({ status: 201, type: ThresholdResponse })
  @ApiProblemResponses(400, 403)
  async create(
    @Body() body: CreateThresholdDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ThresholdView> {
    const threshold = await answeringDomainErrors(() =>
      this.thresholds.create(
        {
          ...body,
          filters: body.filters ?? {},
          statistic: body.statistic ?? 'value',
          interval: body.interval ?? 'week',
          timezone: body.timezone ?? 'UTC',
          notifyGroups: body.notifyGroups ?? [],
        },
        caller,
      ),
    );
    response.location(`/api/v1/reports/thresholds/${threshold.id}`);
    return threshold;
  }

  @Patch(':id')
  @RequirePermission('report:write')
  @ApiOperation({ summary: 'Change a KPI threshold (or enable/disable it)' })
  @ApiResponse({ status: 200, type: ThresholdResponse })
  @ApiProblemResponses(400, 403, 404)
  update(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateThresholdDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ThresholdView> {
    return answeringDomainErrors(() => this.thresholds.update(id, body, caller));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('report:write')
  @ApiOperation({ summary: 'Remove a KPI threshold' })
  @ApiResponse({ status: 204, description: 'Removed.' })
  @ApiProblemResponses(400, 404)
  remove(@Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.thresholds.remove(id);
  }
}
