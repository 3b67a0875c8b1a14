import { Module } from '@nestjs/common';
import { ChangeRecordsModule } from '../changes/change-records.module';
import { CmdbModule } from '../cmdb/cmdb.module';
import { FreezeHolds } from './application/freeze-holds';

/** What a freeze in force does to the changes it covers: holds them, and releases them when lifted. */
@Module({
  imports: [ChangeRecordsModule, CmdbModule],
  providers: [FreezeHolds],
  exports: [FreezeHolds],
})
export class FreezesModule {}
