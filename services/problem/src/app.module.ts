import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { problemService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(problemService)],
})
export class AppModule {}
