import { Module } from '@nestjs/common';
import { EventArchiveModule } from '../event-archive/event-archive.module';
import { EvidenceService } from './application/evidence.service';
import { EvidenceController } from './http/evidence.controller';
import { EvidenceRepository } from './persistence/evidence.repository';

@Module({
  imports: [EventArchiveModule],
  controllers: [EvidenceController],
  providers: [EvidenceService, EvidenceRepository],
})
export class EvidenceModule {}
