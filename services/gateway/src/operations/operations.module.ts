import { Module } from '@nestjs/common';
import {
  DeadLetterOperationsApi,
  OutboxOperationsApi,
  ownOperationsProviders,
} from '@itsm/platform';
import { UPSTREAM_SERVICES } from '../config/gateway.config';
import { RoutingModule } from '../routing/routing.module';
import { UpstreamForwarder } from '../routing/upstream-forwarder';
import { gatewayService } from '../service.definition';
import { AllServicesOperations } from './application/all-services-operations';
import { OPERATIONS_SOURCES, type OperationsSource } from './application/operations-source';
import { OwnOperations } from './application/own-operations';
import { UpstreamOperations } from './application/upstream-operations';
import { AllServicesOperationsController } from './http/all-services-operations.controller';

/**
 * `/api/v1/operations/outbox` and `/api/v1/operations/dead-letters` of every service at
 * once, served by the gateway: its own in process, the others through the upstream
 * forwarder. Imported after the routing module, so each service's own paths
 * (`…/{service}`) are matched first.
 */
@Module({
  imports: [RoutingModule],
  controllers: [AllServicesOperationsController],
  providers: [
    ...ownOperationsProviders(gatewayService.name),
    {
      provide: OPERATIONS_SOURCES,
      inject: [OutboxOperationsApi, DeadLetterOperationsApi, UpstreamForwarder],
      useFactory: (
        outbox: OutboxOperationsApi,
        deadLetters: DeadLetterOperationsApi,
        forwarder: UpstreamForwarder,
      ): OperationsSource[] => [
        new OwnOperations(outbox, deadLetters),
        ...UPSTREAM_SERVICES.map((service) => new UpstreamOperations(service, forwarder)),
      ],
    },
    AllServicesOperations,
  ],
})
export class OperationsModule {}
