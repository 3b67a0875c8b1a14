import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, ProblemException, answeringDomainErrors } from '@itsm/platform';
import { KpiQueries } from '../application/kpi-queries.service';
import { DIMENSIONS, METRICS, metricById, metricView } from '../domain/metric-definitions';
import { KpiQuery, KpiRecordsQuery, rawKpiQueryOf } from './kpi.query';
import {
  KpiRecordsResponse,
  KpiSeriesResponse,
  MetricDefinitionResponse,
  MetricRegistryResponse,
} from './kpi.response';

@ApiTags('reports')
@Controller('api/v1/reports')
@RequirePermission('report:read')
export class KpisController {
  constructor(private readonly kpis: KpiQueries) {}

  @Get('metrics')
  @ApiOperation({
    summary: 'List the KPI definitions',
    description:
      'Every metric with its formula in words, unit, kind, the records it counts (and the permission that reads them), its breakdowns, and the ISO/IEC 20000-1 clauses it evidences.',
  })
  @ApiResponse({ status: 200, type: MetricRegistryResponse })
  registry(): MetricRegistryResponse {
    return {
      items: METRICS.map(metricView),
      dimensions: DIMENSIONS,
    };
  }

  @Get('metrics/:metric')
  @ApiOperation({ summary: 'Read one KPI definition' })
  @ApiResponse({ status: 200, type: MetricDefinitionResponse })
  @ApiProblemResponses(404)
  definition(@Param('metric') id: string): MetricDefinitionResponse {
    const metric = metricById(id);
    if (!metric)
      throw new ProblemException(404, 'not-found', 'Metric not found', `there is no metric ${id}`);
    return metricView(metric);
  }

  @Get('kpis/:metric')
  @ApiOperation({
    summary: 'Read a KPI as a time series',
    description:
      'The metric per day, ISO week or month of the range in a time zone, up to two breakdowns, with the same record-level rules as the records counted. A period cut by the range or not yet over is flagged `partial`. Each point links to the records behind it; `total` is computed over the whole range from the records (percentages and durations are never added up from the periods).',
  })
  @ApiResponse({ status: 200, type: KpiSeriesResponse })
  @ApiProblemResponses(400, 403, 404)
  series(
    @Param('metric') metric: string,
    @Query() query: KpiQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<KpiSeriesResponse> {
    return answeringDomainErrors(() => this.kpis.series(metric, rawKpiQueryOf(query), caller));
  }

  @Get('kpis/:metric/records')
  @ApiOperation({
    summary: 'List the records behind a KPI figure',
    description:
      'The records a figure of the metric counts for `from`-`to` with the given filters (each point of a series links here): for a count, duration or ratio, the records whose event falls in the range (for a ratio, `counted` tells the numerator); for a backlog or an age, the records open at `to` (or now). Ordered by id, paged with `limit` and `cursor`.',
  })
  @ApiResponse({ status: 200, type: KpiRecordsResponse })
  @ApiProblemResponses(400, 403, 404)
  records(
    @Param('metric') metric: string,
    @Query() query: KpiRecordsQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<KpiRecordsResponse> {
    return answeringDomainErrors(() =>
      this.kpis.records(metric, rawKpiQueryOf(query), caller, {
        limit: query.limit,
        afterId: query.cursor,
      }),
    );
  }
}
