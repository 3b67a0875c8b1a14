import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { KAFKA_SASL_MECHANISMS, type KafkaSecuritySettings } from '@itsm/messaging';
import { booleanFlag } from './boolean-flag';

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const readableFile = z.string().refine(isReadableFile, 'no readable file at this path');

/**
 * TLS and SASL of every Kafka client a service makes, part of every service's environment
 * (README, "Kafka security"). Unset: plaintext, as the local broker speaks.
 */
export const kafkaSecurityEnvironment = {
  KAFKA_SSL: booleanFlag.default(false),
  KAFKA_SSL_CA_FILE: readableFile.optional(),
  KAFKA_SSL_CERT_FILE: readableFile.optional(),
  KAFKA_SSL_KEY_FILE: readableFile.optional(),
  KAFKA_SSL_REJECT_UNAUTHORIZED: booleanFlag.default(true),
  KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** The password in a file, as a Kubernetes Secret mounts it (a trailing newline is dropped). */
  KAFKA_SASL_PASSWORD_FILE: readableFile.optional(),
};

type KafkaSecurityEnvironment = z.infer<z.ZodObject<typeof kafkaSecurityEnvironment>>;

/**
 * The combinations a single variable's schema cannot see, refused at start rather than
 * found out as a failed connection (or as a password sent in clear) later.
 */
export function checkKafkaSecurity(env: KafkaSecurityEnvironment, context: z.RefinementCtx): void {
  const refuse = (variable: keyof KafkaSecurityEnvironment, message: string) =>
    context.addIssue({ code: 'custom', path: [variable], message });
  if (!env.KAFKA_SSL)
    for (const variable of [
      'KAFKA_SSL_CA_FILE',
      'KAFKA_SSL_CERT_FILE',
      'KAFKA_SSL_KEY_FILE',
    ] as const)
      if (env[variable]) refuse(variable, 'set while KAFKA_SSL is false: set KAFKA_SSL=true');
  if (Boolean(env.KAFKA_SSL_CERT_FILE) !== Boolean(env.KAFKA_SSL_KEY_FILE))
    refuse(
      env.KAFKA_SSL_CERT_FILE ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE',
      'a client certificate needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE',
    );
  if (env.KAFKA_SASL_PASSWORD && env.KAFKA_SASL_PASSWORD_FILE)
    refuse(
      'KAFKA_SASL_PASSWORD_FILE',
      'set only one of KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE',
    );
  if (!env.KAFKA_SASL_MECHANISM) {
    for (const variable of [
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
      'KAFKA_SASL_PASSWORD_FILE',
    ] as const)
      if (env[variable]) refuse(variable, 'set without KAFKA_SASL_MECHANISM');
    return;
  }
  if (!env.KAFKA_SASL_USERNAME)
    refuse('KAFKA_SASL_USERNAME', `required with KAFKA_SASL_MECHANISM=${env.KAFKA_SASL_MECHANISM}`);
  if (!env.KAFKA_SASL_PASSWORD && !env.KAFKA_SASL_PASSWORD_FILE)
    refuse(
      'KAFKA_SASL_PASSWORD',
      `KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with KAFKA_SASL_MECHANISM=${env.KAFKA_SASL_MECHANISM}`,
    );
  // PLAIN sends the password itself; SCRAM proves it without sending it.
  if (env.KAFKA_SASL_MECHANISM === 'plain' && !env.KAFKA_SSL)
    refuse('KAFKA_SASL_MECHANISM', 'plain would send the password in clear: set KAFKA_SSL=true');
}

/** The settings of a validated environment, for the Kafka clients of the service and its migrate step. */
export function kafkaSecurityOf(env: KafkaSecurityEnvironment): KafkaSecuritySettings {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD_FILE: passwordFile,
  } = env;
  const password = passwordFile
    ? readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '')
    : env.KAFKA_SASL_PASSWORD;
  return {
    ...(env.KAFKA_SSL
      ? {
          tls: {
            caFile: env.KAFKA_SSL_CA_FILE,
            certFile: env.KAFKA_SSL_CERT_FILE,
            keyFile: env.KAFKA_SSL_KEY_FILE,
            rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED,
          },
        }
      : {}),
    ...(mechanism && username && password ? { sasl: { mechanism, username, password } } : {}),
  };
}
