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
 * (docs/configuration.md, docs/security.md). Unset: plaintext, as the local broker speaks.
 */
export const kafkaSecurityEnvironment = {
  KAFKA_SSL: booleanFlag.default(false).meta({
    description:
      'TLS to the brokers, for every Kafka client of a service and its migrate step (docs/security.md).',
  }),
  KAFKA_SSL_CA_FILE: readableFile.optional().meta({
    description:
      "A PEM CA bundle the brokers' certificates must chain to (a private or cluster CA); unset: Node's public roots. Needs `KAFKA_SSL=true`.",
  }),
  KAFKA_SSL_CERT_FILE: readableFile.optional().meta({
    description:
      'A PEM client certificate, for brokers that authenticate clients by TLS; with `KAFKA_SSL_KEY_FILE` (both or neither) and `KAFKA_SSL=true`.',
  }),
  KAFKA_SSL_KEY_FILE: readableFile.optional().meta({
    description: "The PEM private key of `KAFKA_SSL_CERT_FILE`'s certificate (both or neither).",
  }),
  KAFKA_SSL_REJECT_UNAUTHORIZED: booleanFlag.default(true).meta({
    description:
      "Verify the brokers' certificates and names; `false` only to try a throwaway broker.",
  }),
  KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS).optional().meta({
    description:
      'SASL authentication: `plain` (needs `KAFKA_SSL=true`, as it sends the password itself), `scram-sha-256` or `scram-sha-512`; unset: no SASL.',
  }),
  KAFKA_SASL_USERNAME: z.string().min(1).optional().meta({
    description: 'The SASL user name; required with `KAFKA_SASL_MECHANISM`.',
  }),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional().meta({
    description:
      'The SASL password; it or `KAFKA_SASL_PASSWORD_FILE` is required with `KAFKA_SASL_MECHANISM`.',
  }),
  KAFKA_SASL_PASSWORD_FILE: readableFile.optional().meta({
    description:
      'Instead of `KAFKA_SASL_PASSWORD`: a file holding it, as a Kubernetes Secret mounts it (a trailing newline is dropped).',
  }),
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
