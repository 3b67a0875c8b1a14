import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { slmService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(slmService)],
})
export class AppModule {}
