import { Module } from '@nestjs/common';
import { IncidentCopiesModule } from '../incident-copies/incident-copies.module';
import { KnownErrorOffersService } from './application/known-error-offers.service';
import { KnownErrorWriter } from './application/known-error-writer';
import { KnownErrorsService } from './application/known-errors.service';
import { IncidentKnownErrorsController } from './http/incident-known-errors.controller';
import { KnownErrorsController } from './http/known-errors.controller';
import { SelfHelpWorkaroundsController } from './http/self-help-workarounds.controller';
import { KnownErrorsRepository } from './persistence/known-errors.repository';

/** Known errors: recorded and changed, searched, and offered on incidents. */
@Module({
  imports: [IncidentCopiesModule],
  // The self-help route first: `GET /known-errors/{id}` would take `workarounds` for an id.
  controllers: [
    SelfHelpWorkaroundsController,
    KnownErrorsController,
    IncidentKnownErrorsController,
  ],
  providers: [KnownErrorsService, KnownErrorOffersService, KnownErrorsRepository, KnownErrorWriter],
  exports: [KnownErrorsService, KnownErrorsRepository],
})
export class KnownErrorsModule {}
