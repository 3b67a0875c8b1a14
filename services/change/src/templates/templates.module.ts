import { Module } from '@nestjs/common';
import { ChangeTemplateWriter } from './application/change-template-writer';
import { ChangeTemplatesService } from './application/change-templates.service';
import { PublishedTemplates } from './application/published-templates';
import { ChangeTemplatesController } from './http/change-templates.controller';
import { ChangeTemplatesRepository } from './persistence/change-templates.repository';

/** Standard change templates; other modules see only the published version a new change is opened from. */
@Module({
  controllers: [ChangeTemplatesController],
  providers: [
    ChangeTemplatesRepository,
    ChangeTemplateWriter,
    ChangeTemplatesService,
    PublishedTemplates,
  ],
  exports: [PublishedTemplates],
})
export class TemplatesModule {}
