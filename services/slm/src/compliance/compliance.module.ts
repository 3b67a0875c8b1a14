import { Module } from '@nestjs/common';
import { ComplianceService } from './application/compliance.service';
import { SlaComplianceController } from './http/sla-compliance.controller';
import { ComplianceRepository } from './persistence/compliance.repository';

@Module({
  controllers: [SlaComplianceController],
  providers: [ComplianceService, ComplianceRepository],
})
export class ComplianceModule {}
