import { type EntityManager } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';

/**
 * What a handler receives beside the event: the transaction in which its effects must be
 * written (the inbox row is already in it) and where the message came from.
 */
export class InboxContext {
  constructor(
    readonly manager: EntityManager,
    readonly consumerGroup: string,
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    readonly attempt: number,
  ) {}
}

/** An event of a batch, with the offset it was read at. */
export interface InboxEvent {
  event: ItsmCloudEvent;
  offset: string;
}

/**
 * What a batch handler receives beside its events (consecutive, in partition order, none
 * applied before): the one transaction their inbox rows are in, where all their effects
 * must be written, and the partition they came from.
 */
export class InboxBatchContext {
  constructor(
    readonly manager: EntityManager,
    readonly consumerGroup: string,
    readonly topic: string,
    readonly partition: number,
    readonly attempt: number,
  ) {}
}
