import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { CallerThrottlerGuard } from './caller-throttler.guard';

/**
 * Per-caller rate limits: `RATE_LIMIT_PER_MINUTE` requests in any minute, then 429 with
 * `Retry-After`. Counters live in each gateway process; with several replicas a caller's
 * budget is per replica.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({
        throttlers: [{ ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
        errorMessage: 'Too many requests: slow down and retry after the time Retry-After gives.',
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: CallerThrottlerGuard }],
})
export class RateLimitModule {}
