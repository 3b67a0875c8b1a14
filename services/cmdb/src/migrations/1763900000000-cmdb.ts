import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { BUILT_IN_CLASSES } from '../ci-classes/domain/built-in-classes';

/**
 * The CMDB: classes (seeded with the built-in hierarchy), CIs and their identifiers and
 * history, relationships and the dependency edges impact analysis walks, import jobs.
 */
export class Cmdb1763900000000 implements MigrationInterface {
  name = 'Cmdb1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "cmdb"."ci_classes" ("name" text NOT NULL, "label" text NOT NULL, "parent" text, "description" text NOT NULL DEFAULT '', "abstract" boolean NOT NULL DEFAULT false, "attributes" jsonb NOT NULL DEFAULT '{}', "required" text array NOT NULL DEFAULT '{}', "identification_rules" text array, "built_in" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_ci_classes" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "cmdb"."cis" ("id" uuid NOT NULL, "class" text NOT NULL, "name" text NOT NULL, "status" text NOT NULL, "environment" text, "owner_group" text, "criticality" smallint, "identifiers" jsonb NOT NULL DEFAULT '{}', "attributes" jsonb NOT NULL DEFAULT '{}', "sources" text array NOT NULL DEFAULT '{}', "provenance" jsonb NOT NULL DEFAULT '{}', "last_discovered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_cis" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_cis_last_discovered_at" ON "cmdb"."cis" ("last_discovered_at")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_cis_class_id" ON "cmdb"."cis" ("class", "id")`);
    await queryRunner.query(
      `CREATE TABLE "cmdb"."ci_history" ("id" BIGSERIAL NOT NULL, "ci_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "kind" text NOT NULL, "actor" text NOT NULL, "source" text, "changes" jsonb NOT NULL DEFAULT '[]', "change_number" text, "snapshot" jsonb, CONSTRAINT "PK_ci_history" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ci_history_ci_id_at" ON "cmdb"."ci_history" ("ci_id", "at", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "cmdb"."ci_identifiers" ("value" text NOT NULL, "kind" text NOT NULL, "ci_id" uuid NOT NULL, CONSTRAINT "PK_ci_identifiers" PRIMARY KEY ("value", "kind", "ci_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ci_identifiers_ci_id" ON "cmdb"."ci_identifiers" ("ci_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "cmdb"."import_jobs" ("id" uuid NOT NULL, "source" text NOT NULL, "state" text NOT NULL, "requested_by" text NOT NULL, "request" jsonb, "total_items" integer NOT NULL, "processed_items" integer NOT NULL DEFAULT '0', "total_relationships" integer NOT NULL, "processed_relationships" integer NOT NULL DEFAULT '0', "report" jsonb, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "heartbeat_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_import_jobs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_import_jobs_state_created_at" ON "cmdb"."import_jobs" ("state", "created_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "cmdb"."ci_dependencies" ("dependent_id" uuid NOT NULL, "dependency_id" uuid NOT NULL, "relationship_id" uuid NOT NULL, CONSTRAINT "PK_ci_dependencies" PRIMARY KEY ("dependent_id", "dependency_id", "relationship_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ci_dependencies_dependency_dependent" ON "cmdb"."ci_dependencies" ("dependency_id", "dependent_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "cmdb"."relationships" ("id" uuid NOT NULL, "type" text NOT NULL, "source_id" uuid NOT NULL, "target_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by" text NOT NULL, "source" text, "deleted_at" TIMESTAMP WITH TIME ZONE, "deleted_by" text, CONSTRAINT "PK_relationships" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_relationships_target_id" ON "cmdb"."relationships" ("target_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_relationships_source_id" ON "cmdb"."relationships" ("source_id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_relationships_active" ON "cmdb"."relationships" ("source_id", "target_id", "type") WHERE deleted_at IS NULL`,
    );
    // Name prefix search (`search=`) on lower(name); an expression index the entity cannot declare.
    await queryRunner.query(
      `CREATE INDEX "IDX_cis_lower_name" ON "cmdb"."cis" (lower("name") text_pattern_ops)`,
    );
    for (const definition of BUILT_IN_CLASSES)
      await queryRunner.query(
        `INSERT INTO "cmdb"."ci_classes" (name, label, parent, description, abstract, attributes, required, identification_rules, built_in)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true)`,
        [
          definition.name,
          definition.label,
          definition.parent,
          definition.description,
          definition.abstract,
          JSON.stringify(definition.attributes),
          definition.required,
          definition.identificationRules,
        ],
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "cmdb"."relationships"`);
    await queryRunner.query(`DROP TABLE "cmdb"."ci_dependencies"`);
    await queryRunner.query(`DROP TABLE "cmdb"."import_jobs"`);
    await queryRunner.query(`DROP TABLE "cmdb"."ci_identifiers"`);
    await queryRunner.query(`DROP TABLE "cmdb"."ci_history"`);
    await queryRunner.query(`DROP TABLE "cmdb"."cis"`);
    await queryRunner.query(`DROP TABLE "cmdb"."ci_classes"`);
  }
}
