import { Module } from '@nestjs/common';
import { ApprovalRequests } from './application/approval-requests';
import { ApprovalRoundsRepository } from './persistence/approval-rounds.repository';

/** A change's approval rounds and how one is asked for; what the change record needs of approvals. */
@Module({
  providers: [ApprovalRoundsRepository, ApprovalRequests],
  exports: [ApprovalRoundsRepository, ApprovalRequests],
})
export class ApprovalRoundsModule {}
