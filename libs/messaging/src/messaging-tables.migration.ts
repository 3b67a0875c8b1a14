import { type QueryRunner } from 'typeorm';
import { quotedServiceSchema } from '@itsm/persistence';

/**
 * The outbox and inbox tables every service has in its own schema. Called from each
 * service's first migration; the tables match {@link OutboxMessage} and {@link InboxRecord}.
 */
export async function createMessagingTables(queryRunner: QueryRunner): Promise<void> {
  const schema = quotedServiceSchema(queryRunner.connection);
  await queryRunner.query(
    `CREATE TABLE ${schema}."outbox" ("id" BIGSERIAL NOT NULL, "event_id" uuid NOT NULL, "topic" text NOT NULL, "message_key" text NOT NULL, "event" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_outbox_event_id" UNIQUE ("event_id"), CONSTRAINT "PK_outbox" PRIMARY KEY ("id"))`,
  );
  await queryRunner.query(
    `CREATE TABLE ${schema}."inbox" ("consumer_group" text NOT NULL, "event_id" text NOT NULL, "event_type" text NOT NULL, "topic" text NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_inbox" PRIMARY KEY ("consumer_group", "event_id"))`,
  );
}

export async function dropMessagingTables(queryRunner: QueryRunner): Promise<void> {
  const schema = quotedServiceSchema(queryRunner.connection);
  await queryRunner.query(`DROP TABLE ${schema}."inbox"`);
  await queryRunner.query(`DROP TABLE ${schema}."outbox"`);
}
