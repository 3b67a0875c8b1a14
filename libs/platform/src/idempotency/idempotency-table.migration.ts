import { type QueryRunner } from 'typeorm';
import { quotedServiceSchema } from '@itsm/persistence';

/** The table behind `Idempotency-Key`, matching {@link IdempotencyRecord}; each service's migration calls it. */
export async function createIdempotencyTable(queryRunner: QueryRunner): Promise<void> {
  const schema = quotedServiceSchema(queryRunner.connection);
  await queryRunner.query(
    `CREATE TABLE ${schema}."idempotency_keys" ("caller" text NOT NULL, "idempotency_key" text NOT NULL, "request_hash" text NOT NULL, "status_code" integer, "response_headers" jsonb, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("caller", "idempotency_key"))`,
  );
  await queryRunner.query(
    `CREATE INDEX "IX_idempotency_keys_created_at" ON ${schema}."idempotency_keys" ("created_at")`,
  );
}

export async function dropIdempotencyTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(
    `DROP TABLE ${quotedServiceSchema(queryRunner.connection)}."idempotency_keys"`,
  );
}
