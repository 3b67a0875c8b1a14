import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { CmdbModule } from './cmdb/cmdb.module';
import { changeService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(changeService), CmdbModule],
})
export class AppModule {}
