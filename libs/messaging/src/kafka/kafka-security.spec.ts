import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAINTEXT_KAFKA, kafkaSecurityOptions } from './kafka-security';

describe('the kafkajs TLS and SASL options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('are none for plaintext', () => {
    expect(kafkaSecurityOptions(PLAINTEXT_KAFKA)).toEqual({});
  });

  it("trust Node's public roots and verify the brokers when TLS names no CA", () => {
    expect(kafkaSecurityOptions({ tls: { rejectUnauthorized: true } })).toEqual({
      ssl: { rejectUnauthorized: true },
    });
  });

  it('carry the contents of the CA, certificate and key files', () => {
    const options = kafkaSecurityOptions({
      tls: {
        caFile: file('ca.pem', 'CA PEM'),
        certFile: file('cert.pem', 'CERT PEM'),
        keyFile: file('key.pem', 'KEY PEM'),
        rejectUnauthorized: false,
      },
    });
    expect(options).toEqual({
      ssl: { ca: ['CA PEM'], cert: 'CERT PEM', key: 'KEY PEM', rejectUnauthorized: false },
    });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
    'carry the SASL %s credentials, beside TLS',
    (mechanism) => {
      expect(
        kafkaSecurityOptions({
          tls: { rejectUnauthorized: true },
          sasl: { mechanism, username: 'incident', password: 's3cret' },
        }),
      ).toEqual({
        ssl: { rejectUnauthorized: true },
        sasl: { mechanism, username: 'incident', password: 's3cret' },
      });
    },
  );
});
