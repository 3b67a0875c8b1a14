import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSecurityOf } from './kafka-security';
import { ConfigurationError, loadServiceConfig } from './service-config';

const minimal = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://itsm:itsm@127.0.0.1:5432/itsm',
  KAFKA_BROKERS: '127.0.0.1:9092',
};

const dir = mkdtempSync(join(tmpdir(), 'kafka-security-env-'));
function file(name: string, content = 'PEM'): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function securityOf(variables: Record<string, string>) {
  return kafkaSecurityOf(loadServiceConfig('incident', 3001, {}, { ...minimal, ...variables }).env);
}

/** The problems the configuration names, `VARIABLE: message` each. */
function problemsOf(variables: Record<string, string>): string[] {
  try {
    loadServiceConfig('incident', 3001, {}, { ...minimal, ...variables });
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('the Kafka TLS and SASL settings', () => {
  it('are plaintext when nothing is set, as the local broker speaks', () => {
    expect(securityOf({})).toEqual({});
  });

  it('verify the brokers by default once TLS is on', () => {
    expect(securityOf({ KAFKA_SSL: 'true' })).toEqual({ tls: { rejectUnauthorized: true } });
  });

  it('read TLS files and SCRAM credentials', () => {
    const ca = file('ca.pem');
    const cert = file('cert.pem');
    const key = file('key.pem');
    expect(
      securityOf({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: ca,
        KAFKA_SSL_CERT_FILE: cert,
        KAFKA_SSL_KEY_FILE: key,
        KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'incident',
        KAFKA_SASL_PASSWORD: 's3cret',
      }),
    ).toEqual({
      tls: { caFile: ca, certFile: cert, keyFile: key, rejectUnauthorized: false },
      sasl: { mechanism: 'scram-sha-512', username: 'incident', password: 's3cret' },
    });
  });

  it('read the password from a mounted Secret, without its trailing newline', () => {
    expect(
      securityOf({
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'incident',
        KAFKA_SASL_PASSWORD_FILE: file('password', 's3cret\n'),
      }).sasl,
    ).toEqual({ mechanism: 'scram-sha-256', username: 'incident', password: 's3cret' });
  });

  it.each<[string, Record<string, string>, string[]]>([
    [
      'a mechanism without credentials',
      { KAFKA_SASL_MECHANISM: 'scram-sha-256' },
      [
        'KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM=scram-sha-256',
        'KAFKA_SASL_PASSWORD: KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with KAFKA_SASL_MECHANISM=scram-sha-256',
      ],
    ],
    [
      'a mechanism kafkajs has but the platform does not offer',
      { KAFKA_SASL_MECHANISM: 'oauthbearer' },
      [
        'KAFKA_SASL_MECHANISM: Invalid option: expected one of "plain"|"scram-sha-256"|"scram-sha-512"',
      ],
    ],
    [
      'credentials without a mechanism',
      { KAFKA_SASL_USERNAME: 'incident', KAFKA_SASL_PASSWORD: 's3cret' },
      [
        'KAFKA_SASL_USERNAME: set without KAFKA_SASL_MECHANISM',
        'KAFKA_SASL_PASSWORD: set without KAFKA_SASL_MECHANISM',
      ],
    ],
    [
      'a password twice',
      {
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'incident',
        KAFKA_SASL_PASSWORD: 's3cret',
        KAFKA_SASL_PASSWORD_FILE: file('password-too'),
      },
      [
        'KAFKA_SASL_PASSWORD_FILE: set only one of KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE',
      ],
    ],
    [
      'PLAIN without TLS',
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
      ['KAFKA_SASL_MECHANISM: plain would send the password in clear: set KAFKA_SSL=true'],
    ],
    [
      'TLS files while TLS is off',
      { KAFKA_SSL_CA_FILE: file('ca-unused.pem') },
      ['KAFKA_SSL_CA_FILE: set while KAFKA_SSL is false: set KAFKA_SSL=true'],
    ],
    [
      'a client certificate without its key',
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: file('lonely-cert.pem') },
      [
        'KAFKA_SSL_KEY_FILE: a client certificate needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE',
      ],
    ],
    [
      'files that do not exist',
      {
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: join(dir, 'missing-ca.pem'),
        KAFKA_SSL_CERT_FILE: dir,
        KAFKA_SSL_KEY_FILE: file('key-ok.pem'),
      },
      [
        'KAFKA_SSL_CA_FILE: no readable file at this path',
        'KAFKA_SSL_CERT_FILE: no readable file at this path',
      ],
    ],
    [
      'a flag that is not one',
      { KAFKA_SSL: 'yes' },
      ['KAFKA_SSL: Invalid option: expected one of "0"|"1"|"true"|"false"'],
    ],
  ])('refuse %s at start, naming the variable', (_, variables, problems) => {
    expect(problemsOf(variables)).toEqual(problems);
  });
});
