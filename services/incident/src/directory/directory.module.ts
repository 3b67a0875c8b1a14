import { Module } from '@nestjs/common';
import { AssignmentDirectory } from './application/assignment-directory';
import { DirectoryEventsConsumer } from './messaging/directory-events.consumer';

/** The local copy of the directory's groups, for validating assignments. */
@Module({
  controllers: [DirectoryEventsConsumer],
  providers: [AssignmentDirectory],
  exports: [AssignmentDirectory],
})
export class DirectoryModule {}
