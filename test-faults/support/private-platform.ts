import {
  ALL_SERVICES,
  PrivateInfrastructure,
  RunningPlatform,
  type ServiceName,
} from '@itsm/testing';

/** The suite's own infrastructure and the seven services on it. */
export interface FaultStage {
  infrastructure: PrivateInfrastructure;
  platform: RunningPlatform;
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
    const platform = await RunningPlatform.start(services, {
      DATABASE_URL: infrastructure.databaseUrl,
      KAFKA_BROKERS: infrastructure.kafkaBrokers,
      KAFKA_CONSUMER_GROUP_PREFIX: consumerGroupPrefix,
      // A fresh broker: every consumer reads its topics from the start.
      KAFKA_CONSUMER_START: 'earliest',
      ...env,
    });
    return { infrastructure, platform };
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
