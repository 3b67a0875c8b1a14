import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { changeService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(changeService)],
})
export class AppModule {}
