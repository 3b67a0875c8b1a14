import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { SlaEventTypes, Topics } from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { type TimerChange } from '../domain/sla-timer';

/**
 * Announces timer changes on `itsm.sla.events.v1`, keyed by the record so that a record's
 * timer events stay in order, in the transaction that made the changes.
 */
@Injectable()
export class TimerEventsPublisher {
  constructor(private readonly outbox: OutboxWriter) {}

  async publish(
    manager: EntityManager,
    changes: readonly TimerChange[],
    causationId?: string,
  ): Promise<void> {
    for (const change of changes) {
      const { happening, snapshot } = change;
      await this.outbox.append(manager, {
        topic: Topics.slaEvents,
        type: SlaEventTypes[happening.kind],
        subject: snapshot.recordId,
        data:
          happening.kind === 'warning'
            ? { timer: snapshot, threshold: happening.threshold }
            : { timer: snapshot },
        time: new Date(change.at),
        causationId,
      });
    }
  }
}
