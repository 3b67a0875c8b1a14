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
