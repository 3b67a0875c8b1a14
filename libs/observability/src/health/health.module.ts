import { Controller, Get, Module } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  TerminusModule,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '@itsm/auth';
import { KafkaHealthIndicator } from './kafka.health';
import { ShutdownState } from './shutdown-state';

const CHECK_TIMEOUT_MS = 2000;

@Controller('health')
@Public()
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly shutdown: ShutdownState,
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
    return this.health.check([
      () => this.shutdown.check('shutdown'),
      () => this.database.pingCheck('postgres', { timeout: CHECK_TIMEOUT_MS }),
      () => this.kafka.isReady('kafka', CHECK_TIMEOUT_MS),
    ]);
  }
}

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
  controllers: [HealthController],
  providers: [KafkaHealthIndicator, ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}
