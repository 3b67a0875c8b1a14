import { Module } from '@nestjs/common';
import { ApprovalRoundsModule } from '../approvals/approval-rounds.module';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { RiskModule } from '../risk/risk.module';
import { TasksModule } from '../tasks/tasks.module';
import { TemplatesModule } from '../templates/templates.module';
import { ChangesService } from './application/changes.service';
import { ChangeRecordsModule } from './change-records.module';
import { ChangesController } from './http/changes.controller';

@Module({
  imports: [
    ChangeRecordsModule,
    ApprovalRoundsModule,
    RiskModule,
    TemplatesModule,
    TasksModule,
    ConflictsModule,
  ],
  controllers: [ChangesController],
  providers: [ChangesService],
  exports: [ChangeRecordsModule, ChangesService],
})
export class ChangesModule {}
