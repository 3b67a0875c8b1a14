import { Global, Module } from '@nestjs/common';
import { INCIDENT_CONFIG, loadIncidentConfig } from './incident.config';

@Global()
@Module({
  providers: [{ provide: INCIDENT_CONFIG, useFactory: () => loadIncidentConfig() }],
  exports: [INCIDENT_CONFIG],
})
export class IncidentConfigModule {}
