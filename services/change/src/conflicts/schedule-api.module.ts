import { Module } from '@nestjs/common';
import { ChangeRecordsModule } from '../changes/change-records.module';
import { ConflictsModule } from './conflicts.module';
import { ScheduleController } from './http/schedule.controller';

/**
 * The schedule through the API. Imported before the changes' module so that
 * `/api/v1/changes/schedule` is routed here, not read as a change's id.
 */
@Module({
  imports: [ChangeRecordsModule, ConflictsModule],
  controllers: [ScheduleController],
})
export class ScheduleApiModule {}
