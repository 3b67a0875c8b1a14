import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createDeadLettersTable, dropDeadLettersTable } from '@itsm/messaging';

export class DeadLetters1765600000000 implements MigrationInterface {
  name = 'DeadLetters1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createDeadLettersTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropDeadLettersTable(queryRunner);
  }
}
