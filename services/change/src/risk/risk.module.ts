import { Module } from '@nestjs/common';
import { CmdbModule } from '../cmdb/cmdb.module';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { RiskAssessor } from './application/risk-assessor';
import { GroupRecordsRepository } from './persistence/group-records.repository';

/** A change's computed risk: the policy's four sources, the CMDB read as the change service, the schedule's maintenance windows. */
@Module({
  imports: [CmdbModule, ConflictsModule],
  providers: [GroupRecordsRepository, RiskAssessor],
  exports: [RiskAssessor],
})
export class RiskModule {}
