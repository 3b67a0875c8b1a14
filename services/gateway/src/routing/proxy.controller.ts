import { All, Controller, NotFoundException, Req, Res, UseGuards } from '@nestjs/common';
import { type Response } from 'express';
import { AuthenticationGuard, type AuthenticatedRequest } from '../auth/http/authentication.guard';
import { ownerOf } from './route-table';
import { UpstreamForwarder } from './upstream-forwarder';

/** The public API families that live in other services: authenticated here, then forwarded to their owner. */
@Controller()
@UseGuards(AuthenticationGuard)
export class ProxyController {
  constructor(private readonly forwarder: UpstreamForwarder) {}

  @All(['api/v1/incidents', 'api/v1/incidents/*path', 'api/v1/reports/*path'])
  async forward(
    @Req() request: AuthenticatedRequest & { id?: unknown },
    @Res() response: Response,
  ): Promise<void> {
    const service = ownerOf(request.path);
    if (!service || !request.principal) throw new NotFoundException();
    const upstream = await this.forwarder.forward(service, {
      method: request.method,
      url: request.originalUrl,
      headers: request.headers as Record<string, string | undefined>,
      body: request.body as unknown,
      requestId: typeof request.id === 'string' ? request.id : undefined,
      principal: request.principal,
    });
    response.status(upstream.status).set(upstream.headers).send(upstream.body);
  }
}
