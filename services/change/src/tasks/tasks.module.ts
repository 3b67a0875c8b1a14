import { Module } from '@nestjs/common';
import { ChangeTaskWriter } from './application/change-task-writer';
import { ChangeTasksService } from './application/change-tasks.service';
import { ChangeTasksController } from './http/change-tasks.controller';
import { ChangeTasksRepository } from './persistence/change-tasks.repository';

/** Change tasks; the changes module uses the writer for what a change's own steps do to its tasks. */
@Module({
  controllers: [ChangeTasksController],
  providers: [ChangeTasksRepository, ChangeTaskWriter, ChangeTasksService],
  exports: [ChangeTaskWriter],
})
export class TasksModule {}
