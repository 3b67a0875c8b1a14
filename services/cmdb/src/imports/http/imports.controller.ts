import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentCaller, RequirePermission, hasPermission, type Caller } from '@itsm/auth';
import { ApiProblemResponses, Idempotent, ParseUuidPipe, ProblemException } from '@itsm/platform';
import { restrictionRefusals, type ImportReport } from '../domain/import-request';
import { ImportsService, type ImportJobView } from '../application/imports.service';
import {
  ImportJobResponse,
  ImportModeQuery,
  ImportReportResponse,
  ImportRequestDto,
} from './dto/import.dto';

@ApiTags('discovery imports')
@ApiExtraModels(ImportReportResponse)
@Controller('api/v1/cmdb/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @ApiOperation({
    summary: 'Import discovered CIs and relationships',
    description:
      'Identifies each item (rules per class, e.g. serial number, then FQDN, then host name, then cloud id, then IP addresses), reconciles its values by source precedence, and relates the items. Up to CMDB_IMPORT_SYNC_LIMIT entries it runs in one transaction and answers the report (200); above, or with `mode=async`, it runs as a job in batches (202, poll the Location).',
  })
  @ApiResponse({
    status: 200,
    type: ImportReportResponse,
    description: 'The import was applied whole.',
  })
  @ApiResponse({ status: 202, type: ImportJobResponse, description: 'The import runs as a job.' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the first answer.',
  })
  @ApiProblemResponses(400, 403, 413)
  @RequirePermission('cmdb:import')
  @Idempotent()
  async submit(
    @Body() body: ImportRequestDto,
    @Query() query: ImportModeQuery,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportReport | ImportJobView> {
    const refusals = restrictionRefusals(body.items, hasPermission(caller.roles, 'cmdb:write'));
    if (refusals.length > 0)
      throw new ProblemException(
        403,
        'forbidden',
        'Forbidden',
        refusals.map((refusal) => `${refusal.field}: ${refusal.message}`).join('; '),
        { errors: refusals },
      );
    const outcome = await this.imports.submit(
      { source: body.source, items: body.items, relationships: body.relationships ?? [] },
      caller.username,
      query.mode === 'async',
    );
    if (outcome.kind === 'report') {
      response.status(200);
      return outcome.report;
    }
    response.status(202).location(`/api/v1/cmdb/imports/${outcome.job.id}`);
    return outcome.job;
  }

  @Get(':id')
  @ApiOperation({ summary: 'An import job: its progress, then its report' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ImportJobResponse })
  @ApiProblemResponses(400, 404)
  @RequirePermission('cmdb:import')
  job(@Param('id', ParseUuidPipe) id: string): Promise<ImportJobView> {
    return this.imports.job(id);
  }
}
