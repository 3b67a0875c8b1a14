import { Injectable } from '@nestjs/common';
import {
  InboxServerFactory,
  type DeadLetterEntry,
  type DeadLetterFilter,
  type DeadLetterLedger,
  type KafkaInboxServer,
} from '@itsm/messaging';
import { NotFoundProblem, ProblemException } from '../errors/problem';

export interface ReplayOutcome {
  /** The entries applied (or found applied already), in order: the one asked for, then those held behind it. */
  replayed: DeadLetterEntry[];
  /** The entry that failed again, dead-lettered anew; the record's later entries stay held. */
  failed: DeadLetterEntry | null;
}

/**
 * What operators do with a consumer group's dead letters (ADR 20): read them, replay one
 * through the service's own handler (then the record's events held behind it, in order),
 * or discard it. Every settlement records who did it and why.
 */
@Injectable()
export class DeadLetterOperations {
  constructor(private readonly inbox: InboxServerFactory) {}

  list(filter: DeadLetterFilter): Promise<DeadLetterEntry[]> {
    const ledger = this.inbox.server?.deadLetters;
    return ledger ? ledger.list(filter) : Promise.resolve([]);
  }

  async get(id: string): Promise<DeadLetterEntry> {
    const entry = await this.inbox.server?.deadLetters?.find(id);
    if (!entry) throw new NotFoundProblem('Dead letter', id);
    return entry;
  }

  async replay(id: string, operator: string, note: string | null): Promise<ReplayOutcome> {
    const { server, ledger } = this.consuming();
    let entry: DeadLetterEntry | null = await this.unsettled(ledger, id);
    const replayed: DeadLetterEntry[] = [];
    while (entry) {
      const outcome = await server.replay(entry);
      if (outcome === 'dead-lettered' || outcome === 'held')
        return { replayed, failed: await ledger.find(entry.id) };
      await ledger.settle(entry.id, 'replayed', operator, note);
      replayed.push((await ledger.find(entry.id)) ?? entry);
      entry = await ledger.nextHeld(entry);
    }
    return { replayed, failed: null };
  }

  async discard(id: string, operator: string, reason: string): Promise<DeadLetterEntry> {
    const { ledger } = this.consuming();
    const entry = await this.unsettled(ledger, id);
    if (!(await ledger.settle(entry.id, 'discarded', operator, reason))) throw settledAlready(id);
    return (await ledger.find(entry.id)) ?? entry;
  }

  private consuming(): { server: KafkaInboxServer; ledger: DeadLetterLedger } {
    const server = this.inbox.server;
    const ledger = server?.deadLetters;
    if (!server || !ledger)
      throw new ProblemException(
        409,
        'consumes-no-events',
        'This service consumes no events',
        'It has no dead letters to replay or discard.',
      );
    return { server, ledger };
  }

  /** The entry, if it can be settled now: unsettled, and the first unsettled one of its record. */
  private async unsettled(ledger: DeadLetterLedger, id: string): Promise<DeadLetterEntry> {
    const entry = await ledger.find(id);
    if (!entry) throw new NotFoundProblem('Dead letter', id);
    if (entry.status !== 'open' && entry.status !== 'held') throw settledAlready(id);
    const earlier = await ledger.earlierUnsettled(entry);
    if (earlier)
      throw new ProblemException(
        409,
        'earlier-dead-letter-unsettled',
        'An earlier event of this record is not settled',
        `Dead letter ${earlier.id} (offset ${earlier.offset}) of the same record comes first: replay or discard it before this one, so the record's events apply in order.`,
        { earlierId: earlier.id },
      );
    return entry;
  }
}

function settledAlready(id: string): ProblemException {
  return new ProblemException(
    409,
    'dead-letter-settled',
    'This dead letter is settled already',
    `Dead letter ${id} was replayed or discarded before.`,
  );
}
