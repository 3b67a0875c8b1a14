import { Module } from '@nestjs/common';
import { ProxyController } from './proxy.controller';
import { UpstreamForwarder } from './upstream-forwarder';

@Module({ controllers: [ProxyController], providers: [UpstreamForwarder] })
export class RoutingModule {}
