import { Module } from '@nestjs/common';
import { ApprovalRoundsModule } from '../approvals/approval-rounds.module';
import { ChangesModule } from '../changes/changes.module';
import { RiskModule } from '../risk/risk.module';
import { TasksModule } from '../tasks/tasks.module';
import { UnauthorizedChangeDetector } from './application/unauthorized-change-detector';
import { CmdbEventsConsumer } from './messaging/cmdb-events.consumer';
import { ChangesOnCiRepository } from './persistence/changes-on-ci.repository';
import { UNAUTHORIZED_CHANGE_POLICY, loadDetectionPolicy } from './unauthorized.config';

/** Unauthorised changes detected from the CMDB's events (docs/changes.md). */
@Module({
  imports: [ChangesModule, TasksModule, ApprovalRoundsModule, RiskModule],
  controllers: [CmdbEventsConsumer],
  providers: [
    ChangesOnCiRepository,
    UnauthorizedChangeDetector,
    { provide: UNAUTHORIZED_CHANGE_POLICY, useFactory: () => loadDetectionPolicy() },
  ],
})
export class UnauthorizedModule {}
