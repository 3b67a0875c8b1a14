import { Module } from '@nestjs/common';
import { ServiceIdentitySigner } from '@itsm/auth';
import { type ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../platform.module';
import { serviceIdentitySigner } from './identity-config';

/**
 * The calling service's own identity (ADR 12), for the modules that read another service
 * with a {@link ServiceClient}. Only a service that imports it needs
 * `ITSM_SERVICE_IDENTITY_SIGNING_KEY`; it does not start without it.
 */
@Module({
  providers: [
    {
      provide: ServiceIdentitySigner,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) => serviceIdentitySigner(config),
    },
  ],
  exports: [ServiceIdentitySigner],
})
export class ServiceIdentityModule {}
