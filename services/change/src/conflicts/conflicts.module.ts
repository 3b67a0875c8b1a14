import { Module } from '@nestjs/common';
import { ChangeRecordsModule } from '../changes/change-records.module';
import { CmdbModule } from '../cmdb/cmdb.module';
import { WindowsModule } from '../windows/windows.module';
import { ScheduleReader } from './application/schedule-reader';

/** The schedule around a change: other changes, windows and CMDB dependencies, and the conflicts among them. */
@Module({
  imports: [ChangeRecordsModule, WindowsModule, CmdbModule],
  providers: [ScheduleReader],
  exports: [ScheduleReader],
})
export class ConflictsModule {}
