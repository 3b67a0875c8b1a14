import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@itsm/messaging';

export class Initial1763780000000 implements MigrationInterface {
  name = 'Initial1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner);
    await queryRunner.query(
      `CREATE SEQUENCE "incident"."incident_number_seq" START WITH 1001 NO CYCLE`,
    );
    await queryRunner.query(
      `CREATE TABLE "incident"."incidents" ("id" uuid NOT NULL, "number" text NOT NULL, "type" text NOT NULL DEFAULT 'incident', "title" text NOT NULL, "description" text NOT NULL, "requester" text NOT NULL, "source" text NOT NULL, "impact" smallint NOT NULL, "urgency" smallint NOT NULL, "priority" text NOT NULL, "state" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_incidents" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_incidents_number" ON "incident"."incidents" ("number")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "incident"."incidents"`);
    await queryRunner.query(`DROP SEQUENCE "incident"."incident_number_seq"`);
    await dropMessagingTables(queryRunner);
  }
}
