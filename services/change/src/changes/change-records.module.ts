import { Module } from '@nestjs/common';
import { ChangeWriter } from './application/change-writer';
import { ChangesRepository } from './persistence/changes.repository';

/** The change records themselves: read and written, with their history and events. What other modules build on. */
@Module({
  providers: [ChangesRepository, ChangeWriter],
  exports: [ChangesRepository, ChangeWriter],
})
export class ChangeRecordsModule {}
