import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { AlertingModule } from './alerting/alerting.module';
import { AutoCloseModule } from './auto-close/auto-close.module';
import { IncidentConfigModule } from './config/incident-config.module';
import { DirectoryModule } from './directory/directory.module';
import { ReactionsModule } from './reactions/reactions.module';
import { RecordsModule } from './records/records.module';
import { incidentService } from './service.definition';

@Module({
  imports: [
    PlatformModule.forService(incidentService),
    IncidentConfigModule,
    DirectoryModule,
    RecordsModule,
    ReactionsModule,
    AutoCloseModule,
    AlertingModule,
  ],
})
export class AppModule {}
