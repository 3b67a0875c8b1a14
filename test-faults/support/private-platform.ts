import {
  ALL_SERVICES,
  PrivateInfrastructure,
  ServiceProcess,
  freePort,
  type ServiceName,
} from '@itsm/testing';

// Services restart again and again here, on a machine the suite shares: a start may take
// longer than the harness's default minute without anything being wrong.
process.env.ITSM_TEST_READY_TIMEOUT_MS ??= '240000';

/**
 * The services on the suite's own infrastructure, each on a port fixed for the whole run so
 * that one can be killed and started again where the gateway (and the load) expect it.
 */
export class FaultPlatform {
  private constructor(
    private readonly services: Map<ServiceName, ServiceProcess>,
    private readonly ports: Map<ServiceName, number>,
    private readonly env: Record<string, string>,
  ) {}

  static async start(
    names: readonly ServiceName[],
    env: Record<string, string>,
  ): Promise<FaultPlatform> {
    const ports = new Map<ServiceName, number>();
    for (const name of names) ports.set(name, await freePort());
    const upstreams: Record<string, string> = {};
    for (const [name, port] of ports)
      upstreams[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}`;
    const platform = new FaultPlatform(new Map(), ports, { ...upstreams, ...env });
    const started = await Promise.allSettled(names.map((name) => platform.startService(name)));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await platform.stop();
      throw failure.reason;
    }
    return platform;
  }

  service(name: ServiceName): ServiceProcess {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not running`);
    return service;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports.get('gateway')}`;
  }

  /** Starts (or starts again) one service on its port, with extra settings for this start only. */
  async startService(
    name: ServiceName,
    extra: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    const service = await ServiceProcess.start(
      name,
      { ...this.env, ...extra },
      this.ports.get(name),
    );
    this.services.set(name, service);
    return service;
  }

  /** kill -9, then a plain start on the same port. */
  async crashAndRestart(name: ServiceName): Promise<void> {
    await this.service(name).kill();
    await this.startService(name);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services.values()].map((service) => service.stop()));
  }
}

/** The suite's own infrastructure and the services on it. */
export interface FaultStage {
  infrastructure: PrivateInfrastructure;
  platform: FaultPlatform;
  consumerGroupPrefix: string;
}

/**
 * Starts a private Kafka and PostgreSQL, migrates them, and runs the services against them.
 * Whatever was started is stopped again when a later step fails.
 */
export async function startFaultStage(
  label: string,
  env: Record<string, string> = {},
  services: readonly ServiceName[] = ALL_SERVICES,
): Promise<FaultStage> {
  const consumerGroupPrefix = `itsm-faults-${label}-${Date.now().toString(36)}`;
  const infrastructure = await PrivateInfrastructure.start(consumerGroupPrefix);
  try {
    const platform = await FaultPlatform.start(services, {
      DATABASE_URL: infrastructure.databaseUrl,
      KAFKA_BROKERS: infrastructure.kafkaBrokers,
      KAFKA_CONSUMER_GROUP_PREFIX: consumerGroupPrefix,
      // A fresh broker: every consumer reads its topics from the start.
      KAFKA_CONSUMER_START: 'earliest',
      ...env,
    });
    return { infrastructure, platform, consumerGroupPrefix };
  } catch (error) {
    await infrastructure.destroy();
    throw error;
  }
}

export async function stopFaultStage(stage: FaultStage | undefined): Promise<void> {
  if (!stage) return;
  try {
    await stage.platform.stop();
  } finally {
    await stage.infrastructure.destroy();
  }
}
