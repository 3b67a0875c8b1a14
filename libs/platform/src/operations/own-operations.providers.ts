import { type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeadLetterOperations } from './dead-letter-operations';
import { DeadLetterOperationsApi } from './dead-letter-operations.api';
import { OutboxOperationsApi } from './outbox-operations.api';
import { ParkedOutbox } from './parked-outbox.repository';

/**
 * A service's own outbox and dead letters as the operations API answers them: for its
 * controllers, and for the gateway, which answers its own part of every service's lists.
 */
export function ownOperationsProviders(serviceName: string): Provider[] {
  return [
    DeadLetterOperations,
    {
      provide: OutboxOperationsApi,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) =>
        new OutboxOperationsApi(serviceName, new ParkedOutbox(dataSource)),
    },
    {
      provide: DeadLetterOperationsApi,
      inject: [DeadLetterOperations],
      useFactory: (operations: DeadLetterOperations) =>
        new DeadLetterOperationsApi(serviceName, operations),
    },
  ];
}
