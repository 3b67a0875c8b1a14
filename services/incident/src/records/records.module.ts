import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { DirectoryModule } from '../directory/directory.module';
import { RecordWriter } from './application/record-writer';
import { RecordsService } from './application/records.service';
import { IncidentsController } from './http/incidents.controller';
import { RequestsController } from './http/requests.controller';
import { RecordsRepository } from './persistence/records.repository';

/** Incidents and service requests: one record model, two APIs. */
@Module({
  imports: [DirectoryModule, CatalogModule],
  controllers: [IncidentsController, RequestsController],
  providers: [RecordsService, RecordsRepository, RecordWriter],
  exports: [RecordsService, RecordsRepository, RecordWriter],
})
export class RecordsModule {}
