import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { CmdbModule } from './cmdb.module';
import { cmdbService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(cmdbService), CmdbModule],
})
export class AppModule {}
