import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ChangeWriter } from '../../changes/application/change-writer';
import { type Change } from '../../changes/domain/change';
import { ChangesRepository } from '../../changes/persistence/changes.repository';
import { CmdbClassesClient } from '../../cmdb/cmdb-classes.client';
import { type ChangeWindow } from '../../windows/domain/change-window';
import { coversAnyItem, type CiClasses } from '../../windows/domain/window-scope';

/**
 * A freeze put in force holds the in-flight changes it covers (not yet implemented, on
 * its CIs or services or on CIs of its classes, or every one when it covers the whole
 * estate) where they are; lifted, it releases them. Each hold and release is a change of
 * the change, with its events.
 */
@Injectable()
export class FreezeHolds {
  private readonly logger = new Logger(FreezeHolds.name);

  constructor(
    private readonly changes: ChangesRepository,
    private readonly writer: ChangeWriter,
    private readonly classes: CmdbClassesClient,
  ) {}

  async hold(
    manager: EntityManager,
    freeze: ChangeWindow,
    actor: string,
    now: Date,
  ): Promise<number> {
    const candidates = await this.changes.lockUnheldInFlight(manager, freeze);
    const classesById = await this.classesOf(freeze, candidates);
    const covered = candidates.filter((change) =>
      coversAnyItem(freeze, [...change.ciIds, ...change.businessServiceIds], classesById),
    );
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

  /**
   * The classes of the candidates' CIs and services, when the freeze names classes: one
   * batched read of the CMDB. When it does not answer, the freeze holds the changes its CIs
   * and services name, and says so in the log; a change on one of its classes is refused at
   * its next step once the CMDB answers (the freeze in force is a blackout then).
   */
  private async classesOf(
    freeze: ChangeWindow,
    candidates: readonly Change[],
  ): Promise<Record<string, CiClasses>> {
    if (freeze.ciClasses.length === 0 || candidates.length === 0) return {};
    const read = await this.classes.classesOf(
      candidates.flatMap((change) => [...change.ciIds, ...change.businessServiceIds]),
    );
    if (!read.degraded) return read.value.classesById;
    this.logger.warn(
      `freeze ${freeze.id} in force holds only the changes its CIs and services name, not those on its classes (${freeze.ciClasses.join(', ')}): ${read.reason}`,
    );
    return {};
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
