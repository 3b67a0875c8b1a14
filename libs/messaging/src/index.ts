export * from './logger';
export * from './tracing/trace-context';
export * from './kafka/kafka-factory';
export * from './kafka/kafka-security';
export * from './kafka/topic-admin';
export * from './kafka/consumer-start';
export * from './kafka/consumption-watermark';
export * from './kafka/consumer-group-watermark';
export * from './kafka/consumer-group-lag';
export * from './kafka/retry';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox-writer';
export * from './outbox/outbox-relay';
export * from './outbox/outbox-sql';
export * from './outbox/publish-failures';
export * from './inbox/inbox-record.entity';
export * from './inbox/dead-letter-entry.entity';
export * from './inbox/dead-letter-ledger';
export * from './inbox/inbox-context';
export * from './inbox/inbox-processor';
export * from './inbox/dead-letter';
export * from './inbox/transient-errors';
export * from './inbox/kafka-inbox.server';
export * from './messaging.options';
export * from './messaging.module';
export * from './messaging-tables.migration';

import { DeadLetterEntry } from './inbox/dead-letter-entry.entity';
import { InboxRecord } from './inbox/inbox-record.entity';
import { OutboxMessage } from './outbox/outbox-message.entity';

/** Entities every service registers in its data source. */
export const MESSAGING_ENTITIES = [OutboxMessage, InboxRecord, DeadLetterEntry];
