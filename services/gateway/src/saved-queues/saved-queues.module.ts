import { Module } from '@nestjs/common';
import { SavedQueuesService } from './application/saved-queues.service';
import { SavedQueuesController } from './http/saved-queues.controller';

@Module({
  controllers: [SavedQueuesController],
  providers: [SavedQueuesService],
})
export class SavedQueuesModule {}
