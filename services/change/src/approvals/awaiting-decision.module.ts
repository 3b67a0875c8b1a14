import { Module } from '@nestjs/common';
import { ChangeRecordsModule } from '../changes/change-records.module';
import { ApprovalRoundsModule } from './approval-rounds.module';
import { AwaitingDecisionService } from './application/awaiting-decision.service';
import { AwaitingDecisionController } from './http/awaiting-decision.controller';

/**
 * The changes awaiting the caller's decision (`/api/v1/changes/awaiting-my-decision`).
 * Imported before the changes' module so that the path is routed here, not read as a
 * change's id.
 */
@Module({
  imports: [ChangeRecordsModule, ApprovalRoundsModule],
  controllers: [AwaitingDecisionController],
  providers: [AwaitingDecisionService],
})
export class AwaitingDecisionModule {}
