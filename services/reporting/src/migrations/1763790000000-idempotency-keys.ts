import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createIdempotencyTable, dropIdempotencyTable } from '@itsm/platform';

export class IdempotencyKeys1763790000000 implements MigrationInterface {
  name = 'IdempotencyKeys1763790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIdempotencyTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropIdempotencyTable(queryRunner);
  }
}
