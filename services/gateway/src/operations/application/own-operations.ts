import { HttpException, Logger } from '@nestjs/common';
import {
  PROBLEM_CONTENT_TYPE,
  type DeadLetterOperationsApi,
  type OutboxOperationsApi,
} from '@itsm/platform';
import {
  type OnBehalfOf,
  type OperationsCall,
  type OperationsSource,
  type SourceAnswer,
} from './operations-source';

/** The gateway's own outbox and dead letters, answered in process as its own routes answer them. */
export class OwnOperations implements OperationsSource {
  private readonly logger = new Logger('OwnOperations');
  readonly service: string;

  constructor(
    private readonly outbox: OutboxOperationsApi,
    private readonly deadLetters: DeadLetterOperationsApi,
  ) {
    this.service = outbox.serviceName;
  }

  async send(call: OperationsCall, on: OnBehalfOf): Promise<SourceAnswer> {
    try {
      const [status, body] = await this.answer(call, on.caller.username);
      return { reached: true, status, body, contentType: 'application/json' };
    } catch (error) {
      if (error instanceof HttpException)
        return {
          reached: true,
          status: error.getStatus(),
          body: null,
          contentType: PROBLEM_CONTENT_TYPE,
          problem: error,
        };
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error(`the gateway's own ${call.kind} failed: ${reason}`);
      return { reached: false, reason };
    }
  }

  private async answer(call: OperationsCall, operator: string): Promise<[number, unknown]> {
    switch (call.kind) {
      case 'outbox':
        return [200, await this.outbox.overview(String(call.limit))];
      case 'parked-event':
        return [200, await this.outbox.parked(call.id)];
      case 'retry':
        return [202, await this.outbox.retry(call.id, operator)];
      case 'dead-letters': {
        const { status, key, limit } = call.filter;
        return [
          200,
          await this.deadLetters.list({ status, key, limit: String(limit), after: call.after }),
        ];
      }
      case 'dead-letter':
        return [200, await this.deadLetters.get(call.id)];
      case 'replay':
        return [200, await this.deadLetters.replay(call.id, call.body, operator)];
      case 'discard':
        return [200, await this.deadLetters.discard(call.id, call.body, operator)];
    }
  }
}
