import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ChangeWriter } from '../../changes/application/change-writer';
import { type Change } from '../../changes/domain/change';
import { ChangesRepository } from '../../changes/persistence/changes.repository';
import { type ChangeWindow } from '../../windows/domain/change-window';

/**
 * A freeze put in force holds the in-flight changes it covers (not yet implemented, on
 * its CIs or services, or every one when it covers the whole estate) where they are; lifted,
 * it releases them. Each hold and release is a change of the change, with its events.
 */
@Injectable()
export class FreezeHolds {
  constructor(
    private readonly changes: ChangesRepository,
    private readonly writer: ChangeWriter,
  ) {}

  async hold(
    manager: EntityManager,
    freeze: ChangeWindow,
    actor: string,
    now: Date,
  ): Promise<number> {
    const covered = await this.changes.lockUnheldInFlight(manager, freeze);
    const reason = `Freeze "${freeze.name}" is in force since ${(freeze.enforcedAt ?? now).toISOString()}`;
    for (const change of covered) {
      const held: Change = {
        ...change,
        onHold: true,
        holdReason: reason,
        heldByWindowId: freeze.id,
      };
      await this.writer.commit(manager, change, held, actor, now, [
        {
          kind: 'work_note',
          text: `${reason}: the change is on hold until it is lifted.`,
          author: actor,
        },
      ]);
    }
    return covered.length;
  }

  async release(
    manager: EntityManager,
    freeze: ChangeWindow,
    actor: string,
    now: Date,
  ): Promise<number> {
    const held = await this.changes.lockHeldBy(manager, freeze.id);
    for (const change of held) {
      const released: Change = { ...change, onHold: false, holdReason: null, heldByWindowId: null };
      await this.writer.commit(manager, change, released, actor, now, [
        {
          kind: 'work_note',
          text: `Freeze "${freeze.name}" was lifted: the change is released.`,
          author: actor,
        },
      ]);
    }
    return held.length;
  }
}
