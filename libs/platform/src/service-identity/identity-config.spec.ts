import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { ConfigurationError, loadServiceConfig } from '../config/service-config';
import { identityVerifier, serviceIdentitySigner } from './identity-config';

function pemPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const gateway = pemPair();
const change = pemPair();
const minimal = {
  NODE_ENV: 'development',
  DATABASE_URL: 'postgres://itsm:itsm@127.0.0.1:5432/itsm',
  KAFKA_BROKERS: '127.0.0.1:9092',
  ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: gateway.publicPem,
};

const config = (service: string, env: Record<string, string>) =>
  loadServiceConfig(service, 3005, {}, { ...minimal, ...env });

/** The problems a configuration error lists, or a failure when there is none. */
async function problems(start: Promise<unknown>): Promise<string[]> {
  const error: unknown = await start.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ConfigurationError)) throw new Error('expected a configuration error');
  return error.problems;
}

describe('the configuration of service identities (ADR 12)', () => {
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  it('trusts the services ITSM_TRUSTED_SERVICE_KEYS names, beside the gateway', async () => {
    const verifier = await identityVerifier(
      config('cmdb', { ITSM_TRUSTED_SERVICE_KEYS: JSON.stringify({ change: change.publicPem }) }),
    );
    expect(verifier.kids).toHaveLength(1);
    expect([...verifier.serviceKids.keys()]).toEqual(['change']);
    expect((await identityVerifier(config('cmdb', {}))).serviceKids.size).toBe(0);
  });

  it('refuses to trust a service SERVICE_PERMISSIONS grants nothing, naming the variable', async () => {
    expect(
      await problems(
        identityVerifier(
          config('cmdb', {
            ITSM_TRUSTED_SERVICE_KEYS: JSON.stringify({ chnage: change.publicPem }),
          }),
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^ITSM_TRUSTED_SERVICE_KEYS \(chnage\): SERVICE_PERMISSIONS .* nothing/,
      ),
    ]);
  });

  it('refuses a private key or the gateway’s key among the trusted ones, naming the variables', async () => {
    expect(
      await problems(
        identityVerifier(
          config('cmdb', {
            ITSM_TRUSTED_SERVICE_KEYS: JSON.stringify({ change: change.privatePem }),
          }),
        ),
      ),
    ).toEqual([
      expect.stringMatching(/^ITSM_TRUSTED_SERVICE_KEYS \(change\): holds a private key/),
    ]);
    expect(
      await problems(
        identityVerifier(
          config('cmdb', {
            ITSM_TRUSTED_SERVICE_KEYS: JSON.stringify({ change: gateway.publicPem }),
          }),
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS, ITSM_TRUSTED_SERVICE_KEYS: the key .* each signer needs a key of its own/,
      ),
    ]);
  });

  it('signs as the service itself with its own key', async () => {
    const signer = await serviceIdentitySigner(
      config('change', { ITSM_SERVICE_IDENTITY_SIGNING_KEY: change.privatePem }),
    );
    expect(signer.service).toBe('change');
  });

  it('does not start a calling service without its key, or with the gateway’s, naming the variable', async () => {
    expect(await problems(serviceIdentitySigner(config('change', {})))).toEqual([
      expect.stringMatching(
        /^ITSM_SERVICE_IDENTITY_SIGNING_KEY \(or ITSM_SERVICE_IDENTITY_SIGNING_KEY_FILE\) is required/,
      ),
    ]);
    expect(
      await problems(
        serviceIdentitySigner(
          config('change', { ITSM_SERVICE_IDENTITY_SIGNING_KEY: gateway.privatePem }),
        ),
      ),
    ).toEqual([expect.stringMatching(/^ITSM_SERVICE_IDENTITY_SIGNING_KEY: is the gateway's key/)]);
    expect(
      await problems(
        serviceIdentitySigner(
          config('change', { ITSM_SERVICE_IDENTITY_SIGNING_KEY: change.publicPem }),
        ),
      ),
    ).toEqual([expect.stringMatching(/^ITSM_SERVICE_IDENTITY_SIGNING_KEY: holds a public key/)]);
  });

  describe('with the key files a Helm chart mounts', () => {
    // What Helm's genPrivateKey "ecdsa" and genSelfSignedCertWithKey make: a SEC1 P-256 key
    // and a self-signed certificate of it, here made by openssl as the chart's helper would.
    const directory = mkdtempSync(join(tmpdir(), 'itsm-helm-keys-'));
    const keyFile = join(directory, 'tls.key');
    const certificateFile = join(directory, 'tls.crt');
    const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'sec1', format: 'pem' })
      .toString();
    writeFileSync(keyFile, sec1);
    execFileSync('openssl', [
      'req',
      '-new',
      '-x509',
      '-key',
      keyFile,
      '-subj',
      '/CN=change',
      '-days',
      '1',
      '-out',
      certificateFile,
    ]);

    it('signs with the key file and is trusted through the certificate file under the same key id', async () => {
      const signer = await serviceIdentitySigner(
        config('change', { ITSM_SERVICE_IDENTITY_SIGNING_KEY_FILE: keyFile }),
      );
      const trustedFile = join(directory, 'trusted.json');
      writeFileSync(trustedFile, JSON.stringify({ change: readFileSync(certificateFile, 'utf8') }));
      const verifier = await identityVerifier(
        config('cmdb', { ITSM_TRUSTED_SERVICE_KEYS_FILE: trustedFile }),
      );
      expect(verifier.serviceKids.get('change')).toEqual([signer.kid]);
    });

    it('verifies the gateway’s identities with its certificate file', async () => {
      const verifier = await identityVerifier(
        config('cmdb', {
          ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: '',
          ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS_FILE: certificateFile,
        }),
      );
      expect(verifier.kids).toHaveLength(1);
    });

    it('does not start on garbage in a key file, naming the variable', async () => {
      const garbage = join(directory, 'garbage.pem');
      writeFileSync(garbage, 'not a key\n');
      expect(
        await problems(
          identityVerifier(
            config('cmdb', {
              ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: '',
              ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS_FILE: garbage,
            }),
          ),
        ),
      ).toEqual([
        expect.stringMatching(/^ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: not a usable key/),
      ]);
    });
  });
});
