import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';
import { projectionOf } from '../domain/projection-catalog';
import { ProjectionStateRepository } from '../persistence/projection-state.repository';
import { applyEvents, lockProjectionForWriting } from '../persistence/projection-writer';

export interface KafkaOrigin {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Keeps the read models current as events arrive, inside the inbox transaction that
 * archives each event: a projection is never ahead of or behind the archive.
 */
@Injectable()
export class LiveProjector {
  constructor(private readonly state: ProjectionStateRepository) {}

  /**
   * Call before the event is archived: a rebuild's swap waits for this transaction, and
   * this one for the swap, so that no archived event escapes both the old and new table.
   */
  async lockFor(manager: EntityManager, event: ItsmCloudEvent): Promise<void> {
    const projection = projectionOf(event.type);
    if (projection) await lockProjectionForWriting(manager, projection);
  }

  async apply(manager: EntityManager, event: ItsmCloudEvent, origin: KafkaOrigin): Promise<void> {
    const projection = projectionOf(event.type);
    if (!projection) return;
    const counts = await applyEvents(manager, projection, [
      { type: event.type, time: event.time, data: event.data },
    ]);
    await this.state.recordLive(manager, projection, counts, origin);
  }
}
