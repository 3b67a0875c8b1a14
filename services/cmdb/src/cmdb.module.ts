import { Module } from '@nestjs/common';
import { ClassCatalog } from './ci-classes/application/class-catalog.service';
import { CiClassesController } from './ci-classes/http/ci-classes.controller';
import { CiClassesRepository } from './ci-classes/persistence/ci-classes.repository';
import { ChangeHistoryService } from './change-history/application/change-history.service';
import { ChangeEventsConsumer } from './change-history/messaging/change-events.consumer';
import { CiWriter } from './cis/application/ci-writer';
import { CisService } from './cis/application/cis.service';
import { CisController } from './cis/http/cis.controller';
import { CiHistoryRepository } from './cis/persistence/ci-history.repository';
import { CisRepository } from './cis/persistence/cis.repository';
import { CMDB_CONFIG, loadCmdbConfig } from './config/cmdb.config';
import { ImpactService } from './impact/application/impact.service';
import { ImpactController } from './impact/http/impact.controller';
import { DependencyGraphRepository } from './impact/persistence/dependency-graph.repository';
import { ImportProcessor } from './imports/application/import-processor';
import { ImportsService } from './imports/application/imports.service';
import { ImportsController } from './imports/http/imports.controller';
import { ImportJobsRepository } from './imports/persistence/import-jobs.repository';
import { RelationshipWriter } from './relationships/application/relationship-writer';
import { RelationshipsService } from './relationships/application/relationships.service';
import { RelationshipsController } from './relationships/http/relationships.controller';
import { RelationshipsRepository } from './relationships/persistence/relationships.repository';

/** Classes, CIs, relationships, impact analysis, discovery imports and CI history. */
@Module({
  controllers: [
    CiClassesController,
    // Before CisController, so that POST /api/v1/cis/impact is not taken for a CI.
    ImpactController,
    CisController,
    RelationshipsController,
    ImportsController,
    ChangeEventsConsumer,
  ],
  providers: [
    { provide: CMDB_CONFIG, useFactory: () => loadCmdbConfig() },
    ClassCatalog,
    CiClassesRepository,
    CisService,
    CiWriter,
    CisRepository,
    CiHistoryRepository,
    RelationshipsService,
    RelationshipWriter,
    RelationshipsRepository,
    ImpactService,
    DependencyGraphRepository,
    ImportsService,
    ImportProcessor,
    ImportJobsRepository,
    ChangeHistoryService,
  ],
})
export class CmdbModule {}
