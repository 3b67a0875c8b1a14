import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  Idempotent,
  PageQuery,
  ParseUuidPipe,
  answeringDomainErrors,
  decodeCursor,
  entityTag,
  pageOf,
  type Page,
} from '@itsm/platform';
import { ScheduledReports } from '../application/scheduled-reports.service';
import { type ProducedReportSummary } from '../persistence/report-schedules.repository';
import { type ReportScheduleEntity } from '../persistence/report-schedule.entity';
import { RestateDto, ScheduleDto } from './service-report.dto';
import {
  ProducedReportListResponse,
  ProducedReportResponse,
  SchedulePageResponse,
  ScheduleResponse,
  ServiceReportResponse,
} from './service-report.response';

const BASE = '/api/v1/reports/schedules';

function scheduleOf(schedule: ReportScheduleEntity): ScheduleResponse {
  return {
    ...schedule,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}

function producedOf(report: ProducedReportSummary): ProducedReportResponse {
  return {
    id: report.id,
    scheduleId: report.scheduleId,
    serviceId: report.serviceId,
    period: report.period,
    timeZone: report.timeZone,
    version: report.version,
    format: report.format,
    mediaType: report.mediaType,
    sha256: report.sha256,
    archiveSequence: report.archiveSequence,
    generatedAt: report.generatedAt.toISOString(),
    generatedBy: report.generatedBy,
    reason: report.reason,
    differences: report.differences,
    recipients: report.recipients,
    download: `${BASE}/${report.scheduleId}/reports/${report.id}`,
  };
}

@ApiTags('reports')
@ApiExtraModels(ServiceReportResponse)
@Controller('api/v1/reports/schedules')
export class ReportSchedulesController {
  constructor(private readonly scheduled: ScheduledReports) {}

  @Get()
  @ApiOperation({ summary: 'List report schedules', description: 'By id; keyset-paged.' })
  @ApiResponse({ status: 200, type: SchedulePageResponse })
  @ApiProblemResponses(400)
  @RequirePermission('report:read')
  async list(@Query() query: PageQuery): Promise<Page<ScheduleResponse>> {
    const afterId = query.cursor ? decodeCursor(query.cursor, { id: 'uuid' }).id : undefined;
    const rows = await this.scheduled.list({ limit: query.limit + 1, afterId });
    return pageOf(rows, query.limit, scheduleOf, (row) => ({ id: row.id }));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Schedule a service report',
    description:
      "Which service's report, for which kind of period (weekly, monthly, quarterly) in which time zone, in which format, and for which recipients (users or groups). Once a period is over the report is produced once, stored unchanged with its SHA-256, and listed under the schedule.",
  })
  @ApiResponse({ status: 201, type: ScheduleResponse })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400)
  @RequirePermission('report:write')
  @Idempotent()
  async create(
    @Body() body: ScheduleDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ScheduleResponse> {
    const schedule = await answeringDomainErrors(() => this.scheduled.create(body, caller));
    response.location(`${BASE}/${schedule.id}`).setHeader('ETag', entityTag(schedule.version));
    return scheduleOf(schedule);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a report schedule' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ScheduleResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('report:read')
  async get(
    @Param('id', ParseUuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ScheduleResponse> {
    const schedule = await this.scheduled.get(id);
    response.setHeader('ETag', entityTag(schedule.version));
    return scheduleOf(schedule);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a report schedule',
    description:
      'Merge semantics; `recipients` replaces the list. Needs the ETag as If-Match. Reports already produced keep what they were produced with.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag as read.' })
  @ApiResponse({ status: 200, type: ScheduleResponse })
  @ApiProblemResponses(400, 404, 412, 428)
  @RequirePermission('report:write')
  async change(
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ScheduleDto,
    @ExpectedVersion() expectedVersion: number,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ScheduleResponse> {
    const schedule = await answeringDomainErrors(() =>
      this.scheduled.change(id, body, expectedVersion, caller),
    );
    response.setHeader('ETag', entityTag(schedule.version));
    return scheduleOf(schedule);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a report schedule',
    description:
      'Only a schedule that produced nothing (409 otherwise: disable it, its reports stay).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204 })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('report:write')
  async remove(@Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.scheduled.remove(id);
  }

  @Get(':id/reports')
  @ApiOperation({
    summary: 'List the reports a schedule produced',
    description:
      'Newest first, every version of every period, each with its SHA-256, the event archive sequence its inputs reached, and for a restatement the figures that changed.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProducedReportListResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('report:read')
  async reports(@Param('id', ParseUuidPipe) id: string): Promise<ProducedReportListResponse> {
    return { items: (await this.scheduled.producedReports(id)).map(producedOf) };
  }

  @Get(':id/reports/:reportId')
  @ApiOperation({
    summary: 'Download a produced report',
    description:
      'The bytes as stored when produced, in the format the schedule named; `Repr-Digest` (RFC 9530) carries their SHA-256.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'reportId', format: 'uuid' })
  @ApiResponse({
    status: 200,
    description: 'The stored report, in the format its schedule named.',
    headers: {
      'Repr-Digest': {
        description: 'sha-256=:<base64>: of the body (RFC 9530)',
        schema: { type: 'string' },
      },
    },
    content: {
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
      'text/csv': { schema: { type: 'string' } },
      'application/json': { schema: { $ref: getSchemaPath(ServiceReportResponse) } },
    },
  })
  @ApiProblemResponses(400, 404)
  @RequirePermission('report:read')
  async download(
    @Param('id', ParseUuidPipe) id: string,
    @Param('reportId', ParseUuidPipe) reportId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const report = await this.scheduled.producedReport(id, reportId);
    response
      .setHeader('Content-Type', report.mediaType)
      .setHeader('Repr-Digest', `sha-256=:${Buffer.from(report.sha256, 'hex').toString('base64')}:`)
      .setHeader('ETag', `"${report.sha256}"`)
      .setHeader(
        'Content-Disposition',
        `attachment; filename="service-report-${report.period}-v${report.version}.${report.format}"`,
      );
    return new StreamableFile(report.content);
  }

  @Post(':id/periods/:period/restatements')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Restate a produced period',
    description:
      "Computes the period's report again as a new version (the earlier ones stay as they were), noting every figure that differs from the version before. Only a period the schedule produced (409 otherwise).",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'period', example: '2026-11' })
  @ApiResponse({ status: 201, type: ProducedReportResponse })
  @ApiProblemResponses(400, 404, 409)
  @RequirePermission('report:write')
  async restate(
    @Param('id', ParseUuidPipe) id: string,
    @Param('period') period: string,
    @Body() body: RestateDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProducedReportResponse> {
    const report = await answeringDomainErrors(() =>
      this.scheduled.restate(id, period, body.reason, caller),
    );
    const answer = producedOf(report);
    response.location(answer.download);
    return answer;
  }
}
