import { Module } from '@nestjs/common';
import { ReferenceModule } from '../reference/reference.module';
import { ProxyController } from './proxy.controller';
import { UpstreamForwarder } from './upstream-forwarder';

@Module({
  imports: [ReferenceModule],
  controllers: [ProxyController],
  providers: [UpstreamForwarder],
  exports: [UpstreamForwarder],
})
export class RoutingModule {}
