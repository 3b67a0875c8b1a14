import { Module } from '@nestjs/common';
import { ApiReferenceService } from './api-reference.service';
import { ReferenceController } from './reference.controller';

/** The API reference: `/api/v1/openapi.json`, `/api/v1/asyncapi.json` and `/docs`. */
@Module({
  controllers: [ReferenceController],
  providers: [ApiReferenceService],
  exports: [ApiReferenceService],
})
export class ReferenceModule {}
