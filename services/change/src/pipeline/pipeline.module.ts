import { Module } from '@nestjs/common';
import { ApprovalRoundsModule } from '../approvals/approval-rounds.module';
import { ChangesModule } from '../changes/changes.module';
import { ConflictsModule } from '../conflicts/conflicts.module';
import { PipelineService } from './application/pipeline.service';
import { PipelineController } from './http/pipeline.controller';

/** Pipeline gating: a change's gate and the deployments that implement it. */
@Module({
  imports: [ChangesModule, ApprovalRoundsModule, ConflictsModule],
  controllers: [PipelineController],
  providers: [PipelineService],
})
export class PipelineModule {}
