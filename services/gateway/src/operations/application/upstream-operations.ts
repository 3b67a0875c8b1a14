import { text } from 'node:stream/consumers';
import { HttpException } from '@nestjs/common';
import { type UpstreamService } from '../../config/gateway.config';
import { type UpstreamForwarder } from '../../routing/upstream-forwarder';
import {
  servicePath,
  type OnBehalfOf,
  type OperationsCall,
  type OperationsSource,
  type SourceAnswer,
} from './operations-source';

/**
 * A service's operations API reached the way the gateway reaches every service: its own
 * path, the operator's identity signed for it, within the upstream deadline. The service
 * checks the permission again and records the operator.
 */
export class UpstreamOperations implements OperationsSource {
  constructor(
    readonly service: UpstreamService,
    private readonly forwarder: UpstreamForwarder,
  ) {}

  async send(call: OperationsCall, on: OnBehalfOf): Promise<SourceAnswer> {
    const { method, url } = servicePath(this.service, call);
    try {
      const upstream = await this.forwarder.forward(this.service, {
        method,
        url,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: 'body' in call ? call.body : method === 'POST' ? {} : undefined,
        requestId: on.requestId,
        caller: on.caller,
      });
      const content = upstream.body ? await text(upstream.body) : '';
      return {
        reached: true,
        status: upstream.status,
        body: content === '' ? null : (JSON.parse(content) as unknown),
        contentType: upstream.headers['content-type'] ?? 'application/json',
      };
    } catch (error) {
      // The forwarder's 502, 503 and 504: the service is down, too slow or broke off.
      if (error instanceof HttpException) return { reached: false, reason: error.message };
      if (error instanceof SyntaxError)
        return { reached: false, reason: `it answered no JSON: ${error.message}` };
      throw error;
    }
  }
}
