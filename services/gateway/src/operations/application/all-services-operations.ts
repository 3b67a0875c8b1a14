import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  NotFoundProblem,
  ProblemException,
  ValidationProblem,
  deadLetterListFilter,
  type DeadLetterListQuery,
  type DeadLetterResponse,
  type OutboxOperationsResponse,
  type DeadLetterListResponse,
} from '@itsm/platform';
import { decodeCursor, encodeCursor, mergePages } from '../domain/merged-pages';
import { ownerOf, type Probe } from '../domain/ownership';
import { rowRef } from '../domain/row-reference';
import {
  type AllDeadLettersResponse,
  type AllOutboxesResponse,
} from '../http/operations.responses';
import {
  OPERATIONS_SOURCES,
  servicePath,
  type OnBehalfOf,
  type OperationsCall,
  type OperationsSource,
  type SourceAnswer,
} from './operations-source';

/** A call naming one row by its id: found by asking every service, then sent to its owner. */
export type ByIdCall = Extract<OperationsCall, { id: string }>;

/** The owner's answer to a call by id, as it gave it, and where the row lives. */
export interface OwnerAnswer {
  service: string;
  /** The row's own path at its service, for `Content-Location`. */
  location: string;
  answer: Extract<SourceAnswer, { reached: true }>;
}

/**
 * The operations API of every service at once (issue 20): the lists gathered from each
 * service in parallel, a row addressed by its id alone found by asking each service.
 * A service that does not answer is named, never a failure of the whole answer.
 */
@Injectable()
export class AllServicesOperations {
  private readonly logger = new Logger('AllServicesOperations');

  constructor(@Inject(OPERATIONS_SOURCES) private readonly sources: readonly OperationsSource[]) {}

  get services(): string[] {
    return this.sources.map((source) => source.service);
  }

  async outbox(limit: number, on: OnBehalfOf): Promise<AllOutboxesResponse> {
    const { answers, unreachable } = await this.gather<OutboxOperationsResponse>(
      () => ({ kind: 'outbox', limit }),
      on,
    );
    const merged = mergePages(
      answers.map(({ service, body }) => ({ service, items: body.parked, next: null })),
      limit,
      (event) => event.parkedAt,
    );
    return {
      pending: answers.reduce((sum, { body }) => sum + body.pending, 0),
      parkedCount: answers.reduce((sum, { body }) => sum + body.parkedCount, 0),
      services: answers.map(({ service, body }) => ({
        service,
        pending: body.pending,
        parkedCount: body.parkedCount,
      })),
      parked: merged.items,
      unreachable,
    };
  }

  async deadLetters(query: DeadLetterListQuery, on: OnBehalfOf): Promise<AllDeadLettersResponse> {
    const { filter, problems } = deadLetterListFilter(query);
    const cursor = query.after === undefined ? {} : decodeCursor(query.after, this.services);
    if (!cursor) problems.push({ field: 'after', message: 'must be a `next` of this list' });
    if (problems.length > 0 || !cursor) throw new ValidationProblem(problems);
    const { answers, unreachable } = await this.gather<DeadLetterListResponse>(
      (service) => ({ kind: 'dead-letters', filter, after: cursor[service] }),
      on,
    );
    const merged = mergePages<DeadLetterResponse>(
      answers.map(({ service, body }) => ({ service, items: body.items, next: body.next })),
      filter.limit,
      (letter) => letter.deadLetteredAt,
      cursor,
    );
    return {
      items: merged.items,
      next: merged.next && encodeCursor(merged.next),
      unreachable,
    };
  }

  /**
   * A call on one row by its id alone: every service is asked whether it has it (`probe`, a
   * read), and the call goes to the one that has it, as the operator made it. Given the
   * `service` (the row was named by its `ref`), only that service is asked.
   */
  async byId(
    call: ByIdCall,
    probe: ByIdCall,
    what: string,
    on: OnBehalfOf,
    service?: string,
  ): Promise<OwnerAnswer> {
    const asked =
      service === undefined
        ? this.sources
        : this.sources.filter((source) => source.service === service);
    const probes = await Promise.all(
      asked.map(async (source) => ({ source, answer: await source.send(probe, on) })),
    );
    const ownership = ownerOf(
      probes.map(({ source, answer }): Probe => ({
        service: source.service,
        outcome: outcomeOf(answer),
      })),
    );
    if (ownership.kind === 'ambiguous')
      throw new ProblemException(
        409,
        'operations-id-ambiguous',
        `More than one service has this ${what.toLowerCase()}`,
        `${ownership.services.join(' and ')} each have a ${what.toLowerCase()} ${call.id}: ids are each service's own, so name the one you mean by its ref (${ownership.services.map((owner) => rowRef(owner, call.id)).join(', ')}).`,
        { services: ownership.services },
      );
    if (ownership.kind === 'none') {
      if (ownership.unreachable.length === 0) throw new NotFoundProblem(what, call.id);
      throw new ProblemException(
        404,
        'not-found',
        `${what} not found`,
        `No service that answered has a ${what.toLowerCase()} with id ${call.id}; ${ownership.unreachable.join(', ')} did not answer.`,
        { unreachable: ownership.unreachable },
      );
    }
    const owner = probes.find(({ source }) => source.service === ownership.service);
    if (!owner) throw new Error(`no source for ${ownership.service}`);
    const answer = call === probe ? owner.answer : await owner.source.send(call, on);
    if (!answer.reached)
      throw new ProblemException(
        503,
        'upstream-unavailable',
        'Service Unavailable',
        `The ${owner.source.service} service has ${what.toLowerCase()} ${call.id} but did not answer: ${answer.reason}`,
      );
    return {
      service: owner.source.service,
      location: servicePath(owner.source.service, probe).url,
      answer,
    };
  }

  /** The call asked of every service at once: the answers of those that answered it, and who did not. */
  private async gather<T>(
    callFor: (service: string) => OperationsCall,
    on: OnBehalfOf,
  ): Promise<{ answers: { service: string; body: T }[]; unreachable: string[] }> {
    const answers = await Promise.all(
      this.sources.map(async (source) => ({
        service: source.service,
        answer: await source.send(callFor(source.service), on),
      })),
    );
    const answered: { service: string; body: T }[] = [];
    const unreachable: string[] = [];
    for (const { service, answer } of answers) {
      if (answer.reached && answer.status === 200) {
        answered.push({ service, body: answer.body as T });
        continue;
      }
      unreachable.push(service);
      this.logger.warn(
        `the ${service} service is left out: ${answer.reached ? `it answered ${answer.status}` : answer.reason}`,
      );
    }
    return { answers: answered, unreachable };
  }
}

function outcomeOf(answer: SourceAnswer): Probe['outcome'] {
  if (!answer.reached) return 'unreachable';
  if (answer.status >= 200 && answer.status < 300) return 'found';
  return answer.status === 404 ? 'absent' : 'unreachable';
}
