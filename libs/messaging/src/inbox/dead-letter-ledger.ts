import { type KafkaMessage } from 'kafkajs';
import { type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { qualifiedTable } from '@itsm/persistence';
import { describeError } from '../logger';
import { DeadLetterEntry, type DeadLetterStatus } from './dead-letter-entry.entity';

/** Where a dead-lettered record came from, and the record itself. */
export interface DeadLetteredRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export interface DeadLetterFilter {
  status?: DeadLetterStatus;
  messageKey?: string;
  limit: number;
  /** Entries after this id, for the next page. */
  afterId?: string;
}

/**
 * Records that are no event of the record their key names, so hold nothing back: not a
 * CloudEvent at all, or not from the service that owns the topic (a forgery, a misrouted
 * publisher). Otherwise anything able to write to a topic could freeze any record.
 */
const NOT_AN_EVENT_OF_THE_RECORD = ['MalformedEventError', 'UntrustedEventSourceError'];

/** The error of a record held behind an earlier dead letter of its record. */
export const HELD_ERROR_TYPE = 'HeldBehindDeadLetter';

function headerText(value: unknown): string | undefined {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return headerText(value[0]);
  return undefined;
}

/** The record as a Kafka message again, as the consumer read it: for a replay. */
export function messageOf(entry: DeadLetterEntry): KafkaMessage {
  return {
    key: entry.messageKey === null ? null : Buffer.from(entry.messageKey),
    value: entry.messageValue,
    headers: Object.fromEntries(
      Object.entries(entry.messageHeaders).map(([name, value]) => [name, Buffer.from(value)]),
    ),
    offset: entry.offset,
    timestamp: String(entry.deadLetteredAt.getTime()),
    attributes: 0,
  };
}

export function keyOf(message: KafkaMessage): string | null {
  return message.key === null ? null : message.key.toString('utf8');
}

/**
 * A consumer group's dead letters in PostgreSQL (ADR 20): what it could not apply, what
 * waits behind it, and how operators settled each.
 */
export class DeadLetterLedger {
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly consumerGroup: string,
  ) {
    this.table = qualifiedTable(dataSource.getMetadata(DeadLetterEntry));
  }

  /**
   * Records a dead letter (open, or held behind an earlier one); the same record seen again
   * (redelivered, or failing again on replay) updates its entry rather than adding one.
   */
  async record(
    letter: DeadLetteredRecord,
    status: 'open' | 'held',
    error: unknown,
    attempts: number,
  ): Promise<string> {
    const { name, message } = describeError(error);
    const headers: Record<string, string> = {};
    for (const [header, value] of Object.entries(letter.message.headers ?? {})) {
      const text = headerText(value);
      if (text !== undefined) headers[header] = text;
    }
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO ${this.table} (consumer_group, topic, kafka_partition, kafka_offset, message_key,
              message_value, message_headers, event_id, event_type, status, error_type, error_message, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (consumer_group, topic, kafka_partition, kafka_offset) DO UPDATE
          SET status = EXCLUDED.status, error_type = EXCLUDED.error_type,
              error_message = EXCLUDED.error_message, attempts = EXCLUDED.attempts,
              dead_lettered_at = now(), settled_by = NULL, settled_at = NULL, settle_note = NULL
       RETURNING id::text AS id`,
      [
        this.consumerGroup,
        letter.topic,
        letter.partition,
        letter.message.offset,
        keyOf(letter.message),
        letter.message.value,
        JSON.stringify(headers),
        headers.ce_id ?? null,
        headers.ce_type ?? null,
        status,
        name,
        message.slice(0, 4000),
        attempts,
      ],
    );
    return row?.id ?? '';
  }

  /**
   * The keys among these with an open or held dead letter: their later events must wait
   * (unless the dead letter is no event of the record, see NOT_AN_EVENT_OF_THE_RECORD).
   */
  async unsettledKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.dataSource.query<{ message_key: string }[]>(
      `SELECT DISTINCT message_key FROM ${this.table}
        WHERE consumer_group = $1 AND message_key = ANY($2::text[]) AND status IN ('open', 'held')
          AND error_type <> ALL($3::text[])`,
      [this.consumerGroup, [...new Set(keys)], NOT_AN_EVENT_OF_THE_RECORD],
    );
    return new Set(rows.map((row) => row.message_key));
  }

  find(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DeadLetterEntry | null> {
    return manager
      .getRepository(DeadLetterEntry)
      .findOneBy({ id, consumerGroup: this.consumerGroup });
  }

  list(filter: DeadLetterFilter): Promise<DeadLetterEntry[]> {
    const query = this.dataSource
      .getRepository(DeadLetterEntry)
      .createQueryBuilder('letter')
      .where('letter.consumer_group = :group', { group: this.consumerGroup })
      .orderBy('letter.id', 'ASC')
      .limit(filter.limit);
    if (filter.status) query.andWhere('letter.status = :status', { status: filter.status });
    if (filter.messageKey) query.andWhere('letter.message_key = :key', { key: filter.messageKey });
    if (filter.afterId) query.andWhere('letter.id > :after', { after: filter.afterId });
    return query.getMany();
  }

  /** The unsettled entry of the same record before this one, which must be settled first. */
  earlierUnsettled(entry: DeadLetterEntry): Promise<DeadLetterEntry | null> {
    return this.sameRecordAs(entry, (query) =>
      query
        .andWhere(`letter.status IN ('open', 'held')`)
        .andWhere('letter.error_type NOT IN (:...notEvents)', {
          notEvents: NOT_AN_EVENT_OF_THE_RECORD,
        })
        .andWhere('letter.id < :id', { id: entry.id }),
    );
  }

  /** The record's next held entry after this one: replayed once this one is. */
  nextHeld(entry: DeadLetterEntry): Promise<DeadLetterEntry | null> {
    return this.sameRecordAs(entry, (query) =>
      query.andWhere(`letter.status = 'held'`).andWhere('letter.id > :id', { id: entry.id }),
    );
  }

  /** The first entry of the entry's record (its Kafka key) in this group that `narrow` keeps. */
  private async sameRecordAs(
    entry: DeadLetterEntry,
    narrow: (query: SelectQueryBuilder<DeadLetterEntry>) => SelectQueryBuilder<DeadLetterEntry>,
  ): Promise<DeadLetterEntry | null> {
    if (entry.messageKey === null) return null;
    const query = this.dataSource
      .getRepository(DeadLetterEntry)
      .createQueryBuilder('letter')
      .where('letter.consumer_group = :group', { group: this.consumerGroup })
      .andWhere('letter.message_key = :key', { key: entry.messageKey });
    return narrow(query).orderBy('letter.id', 'ASC').getOne();
  }

  /** Marks an unsettled entry replayed or discarded, by whom and why; false when it was settled already. */
  async settle(
    id: string,
    status: 'replayed' | 'discarded',
    by: string,
    note: string | null,
  ): Promise<boolean> {
    const [, settled] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE ${this.table} SET status = $3, settled_by = $4, settled_at = now(), settle_note = $5
        WHERE id = $1 AND consumer_group = $2 AND status IN ('open', 'held')`,
      [id, this.consumerGroup, status, by, note],
    );
    return settled === 1;
  }
}
