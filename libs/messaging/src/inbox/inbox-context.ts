import { type EntityManager } from 'typeorm';

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
