import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { ApprovalsModule } from './approvals/approvals.module';
import { AwaitingDecisionModule } from './approvals/awaiting-decision.module';
import { CabModule } from './cab/cab.module';
import { ChangesModule } from './changes/changes.module';
import { CmdbModule } from './cmdb/cmdb.module';
import { ScheduleApiModule } from './conflicts/schedule-api.module';
import { ChangeConfigModule } from './config/change.config';
import { LinksModule } from './links/links.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { RiskApiModule } from './risk/risk-api.module';
import { changeService } from './service.definition';
import { UnauthorizedModule } from './unauthorized/unauthorized.module';
import { WindowsModule } from './windows/windows.module';

@Module({
  imports: [
    PlatformModule.forService(changeService),
    ChangeConfigModule,
    CmdbModule,
    ScheduleApiModule,
    AwaitingDecisionModule,
    ChangesModule,
    ApprovalsModule,
    CabModule,
    RiskApiModule,
    PipelineModule,
    LinksModule,
    WindowsModule,
    UnauthorizedModule,
  ],
})
export class AppModule {}
