import { Module } from '@nestjs/common';
import { ProblemTaskWriter } from './application/problem-task-writer';
import { ProblemTasksService } from './application/problem-tasks.service';
import { ProblemTasksController } from './http/problem-tasks.controller';
import { ProblemTasksRepository } from './persistence/problem-tasks.repository';

/** Problem tasks: root cause analysis and general work on a problem. */
@Module({
  controllers: [ProblemTasksController],
  providers: [ProblemTasksService, ProblemTasksRepository, ProblemTaskWriter],
  exports: [ProblemTaskWriter],
})
export class TasksModule {}
