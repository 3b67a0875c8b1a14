import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { CatalogItemWriter } from './application/catalog-item-writer';
import { CatalogItemsService } from './application/catalog-items.service';
import { CatalogItemsController } from './http/catalog-items.controller';
import { CatalogItemsRepository } from './persistence/catalog-items.repository';

/** The service catalogue requests are raised from (issue 21). */
@Module({
  imports: [DirectoryModule],
  controllers: [CatalogItemsController],
  providers: [CatalogItemsService, CatalogItemsRepository, CatalogItemWriter],
  exports: [CatalogItemsService],
})
export class CatalogModule {}
