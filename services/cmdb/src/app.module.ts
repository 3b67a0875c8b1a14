import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { cmdbService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(cmdbService)],
})
export class AppModule {}
