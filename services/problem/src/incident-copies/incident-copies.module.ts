import { Module } from '@nestjs/common';
import { IncidentCopiesRepository } from './persistence/incident-copies.repository';

/** The problem service's copy of incidents, kept from the incident topic (see candidates/messaging). */
@Module({
  providers: [IncidentCopiesRepository],
  exports: [IncidentCopiesRepository],
})
export class IncidentCopiesModule {}
