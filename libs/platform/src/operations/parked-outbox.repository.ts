import { type DataSource } from 'typeorm';
import { OutboxMessage, outboxChannel } from '@itsm/messaging';
import { qualifiedTable } from '@itsm/persistence';

export interface ParkedOutboxRow {
  id: string;
  eventId: string;
  topic: string;
  key: string;
  type: string;
  subject: string;
  createdAt: Date;
  parkedAt: Date;
  error: string;
  /** The record's later rows waiting behind this one. */
  waiting: number;
}

export interface OutboxState {
  /** Rows not yet published, parked ones and those waiting behind them included. */
  pending: number;
  parked: number;
  /**
   * Seconds since the oldest row the relay could publish now was written (none parked ahead
   * of it under its key): how late the relay is; 0 when it has nothing to publish.
   */
  oldestPublishableAgeSeconds: number;
}

interface ParkedRow {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  type: string;
  subject: string;
  created_at: Date;
  parked_at: Date;
  park_error: string;
  waiting: number;
}

/** The outbox as an operator sees it: what is pending, what Kafka refused and waits for a retry. */
export class ParkedOutbox {
  private readonly table: string;

  constructor(private readonly dataSource: DataSource) {
    this.table = qualifiedTable(dataSource.getMetadata(OutboxMessage));
  }

  async state(): Promise<OutboxState> {
    const [row] = await this.dataSource.query<OutboxState[]>(
      `SELECT count(*)::int AS pending, count(*) FILTER (WHERE parked_at IS NOT NULL)::int AS parked,
              coalesce(extract(epoch FROM clock_timestamp() - min(created_at) FILTER (
                WHERE parked_at IS NULL AND NOT EXISTS (
                  SELECT 1 FROM ${this.table} ahead
                   WHERE ahead.parked_at IS NOT NULL AND ahead.message_key = row.message_key))),
                0)::float8 AS "oldestPublishableAgeSeconds"
         FROM ${this.table} row`,
    );
    return row ?? { pending: 0, parked: 0, oldestPublishableAgeSeconds: 0 };
  }

  /** The parked rows, oldest first. */
  async list(limit: number): Promise<ParkedOutboxRow[]> {
    const rows = await this.dataSource.query<ParkedRow[]>(
      `${this.selectParked} ORDER BY parked.id LIMIT $1`,
      [limit],
    );
    return rows.map(toParkedRow);
  }

  /**
   * Puts a parked row back in line: the relay publishes it next, then its record's rows
   * that waited. Undefined when no such row is parked.
   */
  async retry(id: string): Promise<ParkedOutboxRow | undefined> {
    const parked = await this.findParked(id);
    if (!parked) return undefined;
    await this.dataSource.query(
      `UPDATE ${this.table} SET parked_at = NULL, park_error = NULL WHERE id = $1 AND parked_at IS NOT NULL`,
      [id],
    );
    // Wakes the relay, as an append does.
    await this.dataSource.query(`SELECT pg_notify($1, '')`, [
      outboxChannel(this.dataSource.getMetadata(OutboxMessage).schema),
    ]);
    return parked;
  }

  /** The row, if it is parked. */
  async findParked(id: string): Promise<ParkedOutboxRow | undefined> {
    const rows = await this.dataSource.query<ParkedRow[]>(
      `${this.selectParked} AND parked.id = $1`,
      [id],
    );
    return rows[0] && toParkedRow(rows[0]);
  }

  private get selectParked(): string {
    return `SELECT parked.id::text AS id, parked.event_id, parked.topic, parked.message_key,
                   parked.event->>'type' AS type, parked.event->>'subject' AS subject,
                   parked.created_at, parked.parked_at, parked.park_error,
                   (SELECT count(*)::int FROM ${this.table} AS later
                     WHERE later.message_key = parked.message_key AND later.id > parked.id) AS waiting
              FROM ${this.table} AS parked
             WHERE parked.parked_at IS NOT NULL`;
  }
}

function toParkedRow(row: ParkedRow): ParkedOutboxRow {
  return {
    id: row.id,
    eventId: row.event_id,
    topic: row.topic,
    key: row.message_key,
    type: row.type,
    subject: row.subject,
    createdAt: row.created_at,
    parkedAt: row.parked_at,
    error: row.park_error,
    waiting: row.waiting,
  };
}
