import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { ApprovalRoundsModule } from './approval-rounds.module';
import { ChangeApprovalsService } from './application/change-approvals.service';
import { ApprovalsController } from './http/approvals.controller';

/** Approvers deciding on changes; the rounds themselves live in {@link ApprovalRoundsModule}. */
@Module({
  imports: [ChangesModule, ApprovalRoundsModule],
  controllers: [ApprovalsController],
  providers: [ChangeApprovalsService],
  exports: [ChangeApprovalsService],
})
export class ApprovalsModule {}
