import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
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
import { type Request, type Response } from 'express';
import { CurrentCaller, RequirePermission, type Caller } from '@itsm/auth';
import {
  ApiProblemResponses,
  Idempotent,
  ProblemException,
  answeringDomainErrors,
} from '@itsm/platform';
import { renderReport } from '../application/report-rendering';
import { ServiceReports } from '../application/service-reports.service';
import { REPORT_FORMATS, type ReportFormat } from '../domain/report-schedule';
import { type AgreedAction, type ReportNotes } from '../domain/service-report';
import { AddActionDto, ServiceReportQuery, WriteNotesDto } from './service-report.dto';
import {
  AgreedActionResponse,
  ReportNotesResponse,
  ServiceReportResponse,
} from './service-report.response';

const PERIOD_PARAM = {
  name: 'period',
  description: 'A month (`2026-11`), an ISO week (`2026-W47`) or a quarter (`2026-Q4`).',
  example: '2026-11',
};

/** The format `Accept` asks for; JSON when it names none in particular. */
function negotiatedFormat(request: Request): ReportFormat {
  const accepted = request.accepts(['application/json', 'text/csv', 'application/pdf']);
  if (accepted === false)
    throw new ProblemException(
      406,
      'not-acceptable',
      'Not Acceptable',
      'A service report is served as application/json, text/csv or application/pdf.',
    );
  return accepted === 'text/csv' ? 'csv' : accepted === 'application/pdf' ? 'pdf' : 'json';
}

@ApiTags('reports')
@Controller('api/v1/reports/service-reports')
export class ServiceReportsController {
  constructor(private readonly reports: ServiceReports) {}

  @Get(':service/:period')
  @ApiOperation({
    summary: "Read a business service's report for a period",
    description:
      'SLA results (compliance per SLA, breaches), incidents, problems and changes of the service for the period, each with its figure in the three previous periods and the trend against their mean, plus the notes and agreed actions of the period. Figures follow the record-level rules of the caller; a section whose records the caller may not read is withheld. JSON, CSV (figures) or PDF, by `Accept`.',
  })
  @ApiParam({ name: 'service', format: 'uuid', description: 'The business service (a CI id).' })
  @ApiParam(PERIOD_PARAM)
  @ApiExtraModels(ServiceReportResponse)
  @ApiResponse({
    status: 200,
    description: 'The report, in the format `Accept` asks for.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ServiceReportResponse) } },
      'text/csv': { schema: { type: 'string' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblemResponses(400, 406)
  @RequirePermission('report:read')
  async report(
    @Param('service') service: string,
    @Param('period') period: string,
    @Query() query: ServiceReportQuery,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ServiceReportResponse | StreamableFile> {
    const format = negotiatedFormat(request);
    const report = await answeringDomainErrors(() =>
      this.reports.report({ service, period, timezone: query.timezone }, caller),
    );
    response.vary('Accept');
    if (format === 'json') return report;
    response
      .setHeader('Content-Type', REPORT_FORMATS[format])
      .setHeader(
        'Content-Disposition',
        `attachment; filename="service-report-${report.period.label}.${format}"`,
      );
    return new StreamableFile(await renderReport(report, format));
  }

  @Put(':service/:period/notes')
  @ApiOperation({
    summary: "Write the notes of a service's review for a period",
    description: 'Replaces the notes; who wrote them and when is kept.',
  })
  @ApiParam({ name: 'service', format: 'uuid' })
  @ApiParam(PERIOD_PARAM)
  @ApiResponse({ status: 200, type: ReportNotesResponse })
  @ApiProblemResponses(400)
  @RequirePermission('report:write')
  writeNotes(
    @Param('service') service: string,
    @Param('period') period: string,
    @Body() body: WriteNotesDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ReportNotes> {
    return answeringDomainErrors(() =>
      this.reports.writeNotes({ service, period }, body.text, caller),
    );
  }

  @Post(':service/:period/actions')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record an action agreed in the review of a service for a period',
    description: 'Kept with who recorded it and when.',
  })
  @ApiParam({ name: 'service', format: 'uuid' })
  @ApiParam(PERIOD_PARAM)
  @ApiResponse({ status: 201, type: AgreedActionResponse })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retrying with the same key within 24 hours returns the first answer and creates nothing.',
  })
  @ApiProblemResponses(400)
  @RequirePermission('report:write')
  @Idempotent()
  addAction(
    @Param('service') service: string,
    @Param('period') period: string,
    @Body() body: AddActionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<AgreedAction> {
    return answeringDomainErrors(() =>
      this.reports.addAction(
        { service, period },
        { description: body.description, owner: body.owner ?? null, dueDate: body.dueDate ?? null },
        caller,
      ),
    );
  }
}
