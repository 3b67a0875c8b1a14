import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { IncidentsModule } from './incidents/incidents.module';
import { incidentService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(incidentService), IncidentsModule],
})
export class AppModule {}
