import { Global, Module } from '@nestjs/common';
import { DirectoryService } from './application/directory.service';
import { DirectoryController } from './http/directory.controller';

@Global()
@Module({
  controllers: [DirectoryController],
  providers: [DirectoryService],
  exports: [DirectoryService],
})
export class DirectoryModule {}
