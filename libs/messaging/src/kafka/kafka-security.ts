import { readFileSync } from 'node:fs';
import { type ConnectionOptions } from 'node:tls';
import { type KafkaConfig, type SASLOptions } from 'kafkajs';

/** The SASL mechanisms the platform's clients speak (kafkajs' own, minus AWS IAM and OAuth). */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** How every Kafka client of a process encrypts and authenticates; nothing set: plaintext. */
export interface KafkaSecuritySettings {
  /** TLS to the brokers. */
  tls?: {
    /** PEM CA bundle to trust instead of Node's public roots (a private or cluster CA). */
    caFile?: string;
    /** PEM client certificate and its key, for brokers that authenticate clients by TLS. */
    certFile?: string;
    keyFile?: string;
    /** Verify the brokers' certificates and host names; off only to try a throwaway broker. */
    rejectUnauthorized: boolean;
  };
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

export const PLAINTEXT_KAFKA: KafkaSecuritySettings = {};

/**
 * The kafkajs `ssl` and `sasl` options for the settings. The PEM files are read here, when
 * a client is made, so a restart picks up certificates a Secret rotated.
 */
export function kafkaSecurityOptions(
  settings: KafkaSecuritySettings,
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const { tls, sasl } = settings;
  const pem = (file: string) => readFileSync(file, 'utf8');
  const ssl: ConnectionOptions | undefined = tls && {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.caFile ? { ca: [pem(tls.caFile)] } : {}),
    ...(tls.certFile ? { cert: pem(tls.certFile) } : {}),
    ...(tls.keyFile ? { key: pem(tls.keyFile) } : {}),
  };
  const saslOptions: SASLOptions | undefined = sasl && { ...sasl };
  return {
    ...(ssl ? { ssl } : {}),
    ...(saslOptions ? { sasl: saslOptions } : {}),
  };
}
