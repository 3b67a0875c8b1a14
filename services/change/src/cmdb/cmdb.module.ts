import { Module } from '@nestjs/common';
import { ServiceIdentitySigner } from '@itsm/auth';
import { ServiceClient, ServiceIdentityModule } from '@itsm/platform';
import {
  CMDB_CLIENT_CONFIG,
  loadCmdbClientConfig,
  type CmdbClientConfig,
} from './cmdb-client.config';
import { CmdbClassesClient } from './cmdb-classes.client';
import { CmdbImpactClient } from './cmdb-impact.client';

/** The one client of the cmdb service, signing as the change service. */
const CMDB_SERVICE_CLIENT = Symbol('CMDB_SERVICE_CLIENT');

/**
 * The change service's window on the CMDB: impact analysis and the classes of CIs, read
 * synchronously from the cmdb service, as the change service itself (ADR 12), with a
 * deadline and a degraded answer when the CMDB is down or slow. The change service does
 * not start without its signing key (`ITSM_SERVICE_IDENTITY_SIGNING_KEY`).
 */
@Module({
  imports: [ServiceIdentityModule],
  providers: [
    { provide: CMDB_CLIENT_CONFIG, useFactory: () => loadCmdbClientConfig() },
    {
      provide: CMDB_SERVICE_CLIENT,
      inject: [ServiceIdentitySigner, CMDB_CLIENT_CONFIG],
      useFactory: (signer: ServiceIdentitySigner, config: CmdbClientConfig) =>
        new ServiceClient({
          callee: 'cmdb',
          baseUrl: config.url,
          timeoutMs: config.timeoutMs,
          signer,
        }),
    },
    {
      provide: CmdbImpactClient,
      inject: [CMDB_SERVICE_CLIENT, CMDB_CLIENT_CONFIG],
      useFactory: (client: ServiceClient, config: CmdbClientConfig) =>
        new CmdbImpactClient(client, config.timeoutMs),
    },
    {
      provide: CmdbClassesClient,
      inject: [CMDB_SERVICE_CLIENT, CMDB_CLIENT_CONFIG],
      useFactory: (client: ServiceClient, config: CmdbClientConfig) =>
        new CmdbClassesClient(client, config.timeoutMs),
    },
  ],
  exports: [CmdbImpactClient, CmdbClassesClient],
})
export class CmdbModule {}
