import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { ChangesModule } from './changes/changes.module';
import { changeService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(changeService), ChangesModule],
})
export class AppModule {}
