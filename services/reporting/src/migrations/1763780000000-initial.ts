import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@itsm/messaging';

export class Initial1763780000000 implements MigrationInterface {
  name = 'Initial1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "reporting"."event_archive" ("sequence" BIGSERIAL NOT NULL, "event_id" text NOT NULL, "topic" text NOT NULL, "kafka_partition" integer NOT NULL, "kafka_offset" bigint NOT NULL, "type" text NOT NULL, "source" text NOT NULL, "subject" text NOT NULL, "time" TIMESTAMP WITH TIME ZONE NOT NULL, "event" jsonb NOT NULL, "archived_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_event_archive_event_id" UNIQUE ("event_id"), CONSTRAINT "PK_event_archive" PRIMARY KEY ("sequence"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_event_archive_type_time" ON "reporting"."event_archive" ("type", "time")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_event_archive_subject_time" ON "reporting"."event_archive" ("subject", "time")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."event_archive"`);
    await dropMessagingTables(queryRunner);
  }
}
