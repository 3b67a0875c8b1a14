import { Module } from '@nestjs/common';
import { ApprovalRoundsModule } from '../approvals/approval-rounds.module';
import { ApprovalsModule } from '../approvals/approvals.module';
import { ChangesModule } from '../changes/changes.module';
import { CabMeetingWriter } from './application/cab-meeting-writer';
import { CabMeetingsService } from './application/cab-meetings.service';
import { CabMeetingsController } from './http/cab-meetings.controller';
import { CabMeetingsRepository } from './persistence/cab-meetings.repository';

/** Recurring CAB meetings: definitions, agendas built from changes awaiting approval, minutes. */
@Module({
  imports: [ChangesModule, ApprovalRoundsModule, ApprovalsModule],
  controllers: [CabMeetingsController],
  providers: [CabMeetingsService, CabMeetingsRepository, CabMeetingWriter],
})
export class CabModule {}
