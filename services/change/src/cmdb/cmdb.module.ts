import { Module } from '@nestjs/common';
import { ServiceIdentitySigner } from '@itsm/auth';
import { ServiceClient, ServiceIdentityModule } from '@itsm/platform';
import {
  CMDB_CLIENT_CONFIG,
  loadCmdbClientConfig,
  type CmdbClientConfig,
} from './cmdb-client.config';
import { CmdbImpactClient } from './cmdb-impact.client';

/**
 * The change service's window on the CMDB: impact analysis read synchronously from the cmdb
 * service, as the change service itself (ADR 12), with a deadline and a degraded answer
 * when the CMDB is down or slow. The change service does not start without its signing key
 * (`ITSM_SERVICE_IDENTITY_SIGNING_KEY`).
 */
@Module({
  imports: [ServiceIdentityModule],
  providers: [
    { provide: CMDB_CLIENT_CONFIG, useFactory: () => loadCmdbClientConfig() },
    {
      provide: CmdbImpactClient,
      inject: [ServiceIdentitySigner, CMDB_CLIENT_CONFIG],
      useFactory: (signer: ServiceIdentitySigner, config: CmdbClientConfig) =>
        new CmdbImpactClient(
          new ServiceClient({
            callee: 'cmdb',
            baseUrl: config.url,
            timeoutMs: config.timeoutMs,
            signer,
          }),
          config.timeoutMs,
        ),
    },
  ],
  exports: [CmdbImpactClient],
})
export class CmdbModule {}
