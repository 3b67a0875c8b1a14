import { Module } from '@nestjs/common';
import { FactTableSwaps } from './application/fact-table-swaps';
import { LiveProjector } from './application/live-projector';
import { ProjectionRebuilder } from './application/projection-rebuilder';
import { ProjectionsController } from './http/projections.controller';
import { ProjectionStateRepository } from './persistence/projection-state.repository';
import { READ_MODELS_CONFIG, loadReadModelsConfig } from './read-models.config';

/** The read models (projections) reports are computed from, kept live and rebuilt from the archive. */
@Module({
  controllers: [ProjectionsController],
  providers: [
    { provide: READ_MODELS_CONFIG, useFactory: () => loadReadModelsConfig() },
    ProjectionStateRepository,
    LiveProjector,
    ProjectionRebuilder,
    FactTableSwaps,
  ],
  exports: [LiveProjector, ProjectionStateRepository, FactTableSwaps],
})
export class ReadModelsModule {}
