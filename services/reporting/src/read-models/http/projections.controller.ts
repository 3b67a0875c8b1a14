import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { RequirePermission } from '@itsm/auth';
import { ApiProblemResponses, NotFoundProblem } from '@itsm/platform';
import { ProjectionRebuilder } from '../application/projection-rebuilder';
import { projectionNamed } from '../domain/projection-catalog';
import {
  ProjectionStateRepository,
  type ProjectionStatus,
} from '../persistence/projection-state.repository';
import { ProjectionListResponse, ProjectionResponse } from './projection.response';

const BASE = '/api/v1/reports/projections';

function viewOf(status: ProjectionStatus): ProjectionResponse {
  const codeVersion = projectionNamed(status.name)?.version ?? status.version;
  const rebuild = status.rebuild;
  // A rebuild recorded as running whose process is gone (its lock released) was interrupted.
  const interrupted = status.status === 'rebuilding' && !status.rebuildRunning;
  return {
    name: status.name,
    version: status.version,
    codeVersion,
    rebuildDue: codeVersion > status.version,
    table: status.tableName,
    positions: status.positions,
    archiveSequence: status.archiveSequence,
    eventsApplied: status.eventsApplied,
    eventsSkipped: status.eventsSkipped,
    status: interrupted ? 'live' : status.status,
    rebuild: rebuild && {
      startedAt: rebuild.startedAt,
      finishedAt: rebuild.finishedAt,
      processed: rebuild.processed,
      total: rebuild.total,
      percent:
        rebuild.total === null
          ? null
          : rebuild.total === 0
            ? 100
            : Math.min(100, Math.round((rebuild.processed / rebuild.total) * 1000) / 10),
      targetSequence: rebuild.targetSequence,
      processedSequence: rebuild.processedSequence,
      error:
        rebuild.error ??
        (interrupted ? 'interrupted: the process running it stopped; start it again' : null),
    },
  };
}

@ApiTags('reports')
@Controller(BASE.slice(1))
export class ProjectionsController {
  constructor(
    private readonly state: ProjectionStateRepository,
    private readonly rebuilder: ProjectionRebuilder,
  ) {}

  @Get()
  @RequirePermission('report:read')
  @ApiOperation({
    summary: 'List the read models',
    description:
      'Each projection the reports are computed from: its version, table, positions, counts, and its last rebuild.',
  })
  @ApiResponse({ status: 200, type: ProjectionListResponse })
  async list(): Promise<ProjectionListResponse> {
    return { items: (await this.state.findAll()).map(viewOf) };
  }

  @Get(':name')
  @RequirePermission('report:read')
  @ApiOperation({ summary: 'Read a read model and the progress of its rebuild' })
  @ApiResponse({ status: 200, type: ProjectionResponse })
  @ApiProblemResponses(404)
  async get(@Param('name') name: string): Promise<ProjectionResponse> {
    const status = projectionNamed(name) ? await this.state.findOne(name) : undefined;
    if (!status) throw new NotFoundProblem('Projection', name);
    return viewOf(status);
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @RequirePermission('report:manage')
  @ApiOperation({
    summary: 'Rebuild a read model from the event archive',
    description:
      'Replays the event archive into a new table in the background and swaps it in without a gap: events keep being applied meanwhile and none is lost. Follow the progress at the Location. One rebuild per projection at a time: 409 while one runs.',
  })
  @ApiResponse({
    status: 202,
    type: ProjectionResponse,
    description: 'The rebuild started.',
    headers: {
      Location: { description: 'Where its progress reads.', schema: { type: 'string' } },
    },
  })
  @ApiProblemResponses(403, 404, 409)
  async rebuild(
    @Param('name') name: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProjectionResponse> {
    await this.rebuilder.start(name);
    const status = await this.state.findOne(name);
    if (!status) throw new NotFoundProblem('Projection', name);
    response.setHeader('Location', `${BASE}/${encodeURIComponent(name)}`);
    return viewOf(status);
  }
}
