import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { CalendarsModule } from './calendars/calendars.module';
import { ComplianceModule } from './compliance/compliance.module';
import { SlmConfigModule } from './config/slm.config';
import { slmService } from './service.definition';
import { SlasModule } from './slas/slas.module';
import { TimersModule } from './timers/timers.module';

@Module({
  imports: [
    PlatformModule.forService(slmService),
    SlmConfigModule,
    CalendarsModule,
    SlasModule,
    TimersModule,
    ComplianceModule,
  ],
})
export class AppModule {}
