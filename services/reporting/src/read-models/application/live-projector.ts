import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';
import { type ProjectionDefinition } from '../domain/projection';
import { projectionOf } from '../domain/projection-catalog';
import { ProjectionStateRepository } from '../persistence/projection-state.repository';
import { applyEvents, lockProjectionForWriting } from '../persistence/projection-writer';

/** Where a consumed event was read: the archive keeps its Kafka origin, the projections their position. */
export interface KafkaOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export interface ConsumedEvent {
  event: ItsmCloudEvent;
  origin: KafkaOrigin;
}

/** The events of a batch each projection reads, in their order, by projection (ordered by lock id). */
function byProjection(
  events: readonly ConsumedEvent[],
): Map<ProjectionDefinition, ConsumedEvent[]> {
  const groups = new Map<ProjectionDefinition, ConsumedEvent[]>();
  for (const consumed of events) {
    const projection = projectionOf(consumed.event.type);
    if (!projection) continue;
    const group = groups.get(projection);
    if (group) group.push(consumed);
    else groups.set(projection, [consumed]);
  }
  return new Map([...groups].sort(([a], [b]) => a.lockId - b.lockId));
}

/**
 * Keeps the read models current as events arrive, inside the inbox transaction that
 * archives them: a projection is never ahead of or behind the archive.
 */
@Injectable()
export class LiveProjector {
  constructor(private readonly state: ProjectionStateRepository) {}

  /**
   * Call before the events are archived: a rebuild's swap waits for this transaction, and
   * this one for the swap, so that no archived event escapes both the old and new table.
   * Locks are taken in one order (by lock id), whatever the events' order.
   */
  async lockFor(manager: EntityManager, events: readonly ConsumedEvent[]): Promise<void> {
    for (const projection of byProjection(events).keys())
      await lockProjectionForWriting(manager, projection);
  }

  /** One upsert per projection for the batch, and the position it reached. */
  async apply(manager: EntityManager, events: readonly ConsumedEvent[]): Promise<void> {
    for (const [projection, consumed] of byProjection(events)) {
      const counts = await applyEvents(
        manager,
        projection,
        consumed.map(({ event }) => ({
          type: event.type,
          time: event.time,
          data: event.data,
        })),
      );
      await this.state.recordLive(
        manager,
        projection,
        counts,
        consumed[consumed.length - 1].origin,
      );
    }
  }
}
