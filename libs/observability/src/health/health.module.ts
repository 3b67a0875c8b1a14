import { Controller, Get, Injectable, Module } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  TerminusModule,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Gauge } from 'prom-client';
import { Public } from '@itsm/auth';
import { metricsRegistry } from '../metrics/metrics.module';
import { KafkaHealthIndicator } from './kafka.health';
import { ShutdownState } from './shutdown-state';

const CHECK_TIMEOUT_MS = 2000;
const READY = 'itsm_ready';

/** Ready to serve: not shutting down, and PostgreSQL and Kafka both answer. */
@Injectable()
export class ReadinessCheck {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {
    const check = () => this.run();
    metricsRegistry.removeSingleMetric(READY);
    new Gauge({
      name: READY,
      help: '1 when the service is ready to serve (what GET /health/ready answers: not shutting down, PostgreSQL and Kafka answer), 0 when not; checked at each scrape.',
      registers: [metricsRegistry],
      async collect() {
        this.set(
          await check().then(
            () => 1,
            () => 0,
          ),
        );
      },
    });
  }

  /** Resolves when ready; rejects (with the checks' details, a 503 for Nest) when not. */
  run(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.shutdown.check('shutdown'),
      () => this.database.pingCheck('postgres', { timeout: CHECK_TIMEOUT_MS }),
      () => this.kafka.isReady('kafka', CHECK_TIMEOUT_MS),
    ]);
  }
}

@Controller('health')
@Public()
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessCheck,
  ) {}

  /** The process is alive; says nothing about its dependencies, so a restart is never caused by them. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Ready to serve: not shutting down, and PostgreSQL and Kafka both answer. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.readiness.run();
  }
}

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
  controllers: [HealthController],
  providers: [KafkaHealthIndicator, ShutdownState, ReadinessCheck],
  exports: [ShutdownState],
})
export class HealthModule {}
