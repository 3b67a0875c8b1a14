import { type HttpException } from '@nestjs/common';
import { type Caller } from '@itsm/auth';
import {
  type DeadLetterListFilter,
  type DiscardDeadLetterRequest,
  type ReplayDeadLetterRequest,
} from '@itsm/platform';

/** What the gateway asks of one service's operations API, on an operator's behalf. */
export type OperationsCall =
  | { kind: 'outbox'; limit: number }
  | { kind: 'parked-event'; id: string }
  | { kind: 'retry'; id: string }
  | { kind: 'dead-letters'; filter: DeadLetterListFilter; after?: string }
  | { kind: 'dead-letter'; id: string }
  | { kind: 'replay'; id: string; body: ReplayDeadLetterRequest }
  | { kind: 'discard'; id: string; body: DiscardDeadLetterRequest };

/** Who asks: the operator, as the service records them, and the request it belongs to. */
export interface OnBehalfOf {
  caller: Caller;
  requestId?: string;
}

/** A service's answer, as it gave it; or that it gave none. */
export type SourceAnswer =
  | {
      reached: true;
      status: number;
      body: unknown;
      contentType: string;
      /** The gateway's own failure, to be rendered as every error of the gateway is. */
      problem?: HttpException;
    }
  | { reached: false; reason: string };

/** One service's operations API, as the gateway reaches it. */
export interface OperationsSource {
  readonly service: string;
  send(call: OperationsCall, on: OnBehalfOf): Promise<SourceAnswer>;
}

export const OPERATIONS_SOURCES = Symbol('OPERATIONS_SOURCES');

/** The service's own path for a call: where the gateway routes it, and where it lives. */
export function servicePath(
  service: string,
  call: OperationsCall,
): { method: 'GET' | 'POST'; url: string } {
  const query = new URLSearchParams();
  switch (call.kind) {
    case 'outbox':
      query.set('limit', String(call.limit));
      return { method: 'GET', url: `/api/v1/operations/outbox/${service}?${query.toString()}` };
    case 'parked-event':
      return { method: 'GET', url: `/api/v1/operations/outbox/${service}/${call.id}` };
    case 'retry':
      return { method: 'POST', url: `/api/v1/operations/outbox/${service}/${call.id}/retry` };
    case 'dead-letters': {
      const { status, key, limit } = call.filter;
      if (status !== undefined) query.set('status', status);
      if (key !== undefined) query.set('key', key);
      query.set('limit', String(limit));
      if (call.after !== undefined) query.set('after', call.after);
      return {
        method: 'GET',
        url: `/api/v1/operations/dead-letters/${service}?${query.toString()}`,
      };
    }
    case 'dead-letter':
      return { method: 'GET', url: `/api/v1/operations/dead-letters/${service}/${call.id}` };
    case 'replay':
    case 'discard':
      return {
        method: 'POST',
        url: `/api/v1/operations/dead-letters/${service}/${call.id}/${call.kind}`,
      };
  }
}
