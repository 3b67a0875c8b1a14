import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { ChangeLinksService } from './application/change-links.service';
import { ChangeLinksController } from './http/change-links.controller';

/** A change's links to the incidents it fixes or caused and the problems it fixes. */
@Module({
  imports: [ChangesModule],
  controllers: [ChangeLinksController],
  providers: [ChangeLinksService],
})
export class LinksModule {}
