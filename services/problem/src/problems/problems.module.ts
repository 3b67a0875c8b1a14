import { Module } from '@nestjs/common';
import { IncidentCopiesModule } from '../incident-copies/incident-copies.module';
import { TasksModule } from '../tasks/tasks.module';
import { ProblemLinks } from './application/problem-links';
import { ProblemLinksService } from './application/problem-links.service';
import { ProblemWriter } from './application/problem-writer';
import { ProblemsService } from './application/problems.service';
import { ProblemLinksController } from './http/problem-links.controller';
import { ProblemsController } from './http/problems.controller';
import { ProblemsRepository } from './persistence/problems.repository';

/** Problems, their states, journal and history, and their links to incidents and changes. */
@Module({
  imports: [IncidentCopiesModule, TasksModule],
  controllers: [ProblemsController, ProblemLinksController],
  providers: [
    ProblemsService,
    ProblemLinksService,
    ProblemsRepository,
    ProblemWriter,
    ProblemLinks,
  ],
  exports: [ProblemsService, ProblemsRepository, ProblemWriter, ProblemLinks],
})
export class ProblemsModule {}
