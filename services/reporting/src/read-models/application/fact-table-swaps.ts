import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

/** Told, inside the swap's transaction, that a fact table was replaced by its rebuild. */
export type FactTableSwapListener = (manager: EntityManager, table: string) => Promise<void>;

/**
 * Where state derived from the fact tables (the KPI rollups) learns of a rebuild's swap,
 * without the read models knowing what derives from them.
 */
@Injectable()
export class FactTableSwaps {
  private readonly listeners: FactTableSwapListener[] = [];

  subscribe(listener: FactTableSwapListener): void {
    this.listeners.push(listener);
  }

  async swapped(manager: EntityManager, table: string): Promise<void> {
    for (const listener of this.listeners) await listener(manager, table);
  }
}
