import { Module } from '@nestjs/common';
import { IncidentCopiesModule } from '../incident-copies/incident-copies.module';
import { ProblemsModule } from '../problems/problems.module';
import { CandidateRulesService } from './application/candidate-rules.service';
import { IncidentEventsConsumer } from './messaging/incident-events.consumer';
import { CandidatesRepository } from './persistence/candidates.repository';

/** Incident events: the copy of incidents, and the rules that open candidate problems. */
@Module({
  imports: [IncidentCopiesModule, ProblemsModule],
  controllers: [IncidentEventsConsumer],
  providers: [CandidateRulesService, CandidatesRepository],
})
export class CandidatesModule {}
