import { Module } from '@nestjs/common';
import { ApprovalRoundsModule } from '../approvals/approval-rounds.module';
import { RiskModule } from '../risk/risk.module';
import { TasksModule } from '../tasks/tasks.module';
import { TemplatesModule } from '../templates/templates.module';
import { ChangeWriter } from './application/change-writer';
import { ChangesService } from './application/changes.service';
import { ChangesController } from './http/changes.controller';
import { ChangesRepository } from './persistence/changes.repository';

@Module({
  imports: [ApprovalRoundsModule, RiskModule, TemplatesModule, TasksModule],
  controllers: [ChangesController],
  providers: [ChangesRepository, ChangeWriter, ChangesService],
  exports: [ChangesRepository, ChangeWriter, ChangesService],
})
export class ChangesModule {}
