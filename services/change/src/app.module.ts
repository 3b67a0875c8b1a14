import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { ChangeConfigModule } from './config/change.config';
import { changeService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(changeService), ChangeConfigModule],
})
export class AppModule {}
