import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module';
import { SlaDefinitionsService } from './application/sla-definitions.service';
import { SlaDefinitionsController } from './http/sla-definitions.controller';
import { SlaDefinitionsRepository } from './persistence/sla-definitions.repository';

@Module({
  imports: [CalendarsModule],
  controllers: [SlaDefinitionsController],
  providers: [SlaDefinitionsService, SlaDefinitionsRepository],
  exports: [SlaDefinitionsRepository],
})
export class SlasModule {}
