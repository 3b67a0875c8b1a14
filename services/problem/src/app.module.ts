import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { CandidatesModule } from './candidates/candidates.module';
import { ProblemConfigModule } from './config/problem.config';
import { IncidentCopiesModule } from './incident-copies/incident-copies.module';
import { KnownErrorsModule } from './known-errors/known-errors.module';
import { ProblemsModule } from './problems/problems.module';
import { problemService } from './service.definition';
import { TasksModule } from './tasks/tasks.module';

@Module({
  imports: [
    PlatformModule.forService(problemService),
    ProblemConfigModule,
    IncidentCopiesModule,
    ProblemsModule,
    TasksModule,
    CandidatesModule,
    KnownErrorsModule,
  ],
})
export class AppModule {}
