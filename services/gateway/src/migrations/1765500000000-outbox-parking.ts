import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { addOutboxParking, dropOutboxParking } from '@itsm/messaging';

export class OutboxParking1765500000000 implements MigrationInterface {
  name = 'OutboxParking1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await addOutboxParking(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxParking(queryRunner);
  }
}
