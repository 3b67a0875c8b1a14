import { Module } from '@nestjs/common';
import { IncidentsService } from './application/incidents.service';
import { IncidentsController } from './http/incidents.controller';
import { IncidentsRepository } from './persistence/incidents.repository';

@Module({
  controllers: [IncidentsController],
  providers: [IncidentsService, IncidentsRepository],
})
export class IncidentsModule {}
