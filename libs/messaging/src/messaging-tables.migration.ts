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

/**
 * Parking of outbox rows Kafka refuses for good (ADR 19): when and why a row was parked.
 * The rows of a record after a parked one wait behind it; the partial index finds those
 * records without reading the whole outbox.
 */
export async function addOutboxParking(queryRunner: QueryRunner): Promise<void> {
  const schema = quotedServiceSchema(queryRunner.connection);
  await queryRunner.query(
    `ALTER TABLE ${schema}."outbox" ADD "parked_at" TIMESTAMP WITH TIME ZONE, ADD "park_error" text`,
  );
  await queryRunner.query(
    `CREATE INDEX "IX_outbox_parked_keys" ON ${schema}."outbox" ("message_key") WHERE "parked_at" IS NOT NULL`,
  );
}

export async function dropOutboxParking(queryRunner: QueryRunner): Promise<void> {
  const schema = quotedServiceSchema(queryRunner.connection);
  await queryRunner.query(`DROP INDEX ${schema}."IX_outbox_parked_keys"`);
  await queryRunner.query(
    `ALTER TABLE ${schema}."outbox" DROP COLUMN "parked_at", DROP COLUMN "park_error"`,
  );
}

/** Dead letters kept for operators (ADR 20), matching {@link DeadLetterEntry}. */
export async function createDeadLettersTable(queryRunner: QueryRunner): Promise<void> {
  const schema = quotedServiceSchema(queryRunner.connection);
  await queryRunner.query(
    `CREATE TABLE ${schema}."dead_letters" ("id" BIGSERIAL NOT NULL, "consumer_group" text NOT NULL, "topic" text NOT NULL, "kafka_partition" integer NOT NULL, "kafka_offset" bigint NOT NULL, "message_key" text, "message_value" bytea, "message_headers" jsonb NOT NULL, "event_id" text, "event_type" text, "status" text NOT NULL, "error_type" text NOT NULL, "error_message" text NOT NULL, "attempts" integer NOT NULL, "dead_lettered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "settled_by" text, "settled_at" TIMESTAMP WITH TIME ZONE, "settle_note" text, CONSTRAINT "UQ_dead_letters_origin" UNIQUE ("consumer_group", "topic", "kafka_partition", "kafka_offset"), CONSTRAINT "PK_dead_letters" PRIMARY KEY ("id"))`,
  );
  await queryRunner.query(
    `CREATE INDEX "IX_dead_letters_unsettled_keys" ON ${schema}."dead_letters" ("consumer_group", "message_key") WHERE "status" IN ('open', 'held')`,
  );
}

export async function dropDeadLettersTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(
    `DROP TABLE ${quotedServiceSchema(queryRunner.connection)}."dead_letters"`,
  );
}
