import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadSigningKey,
  loadTrustedServiceKeys,
  loadVerificationKeys,
  readKeyMaterial,
} from './keys';

function ecPair() {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

describe('the key material of the internal identity', () => {
  const { privateKey, publicKey } = ecPair();
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sec1Pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const publicJwk = publicKey.export({ format: 'jwk' });

  it('names the same key by the same id on both sides, whatever its encoding', async () => {
    const signing = await loadSigningKey(privatePem, 'S');
    const fromSec1 = await loadSigningKey(sec1Pem, 'S');
    const fromJwk = await loadSigningKey(JSON.stringify(privateKey.export({ format: 'jwk' })), 'S');
    const [fromPem] = await loadVerificationKeys(publicPem, 'V');
    const [fromSet] = await loadVerificationKeys(JSON.stringify({ keys: [publicJwk] }), 'V');
    for (const key of [fromSec1, fromJwk, fromPem, fromSet]) expect(key?.kid).toBe(signing.kid);
    expect(signing).toMatchObject({ alg: 'ES256' });
    expect(signing.key.extractable).toBe(false);
  });

  it('reads what openssl writes', async () => {
    const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    const signing = await loadSigningKey(`${params}${sec1Pem}`, 'S');
    expect(signing.kid).toBe((await loadSigningKey(privatePem, 'S')).kid);
  });

  it('reads a verification set of several keys, in PEM or as a JWK Set, once per key', async () => {
    const other = ecPair().publicKey;
    const pems = `${publicPem}\n${other.export({ type: 'spki', format: 'pem' }).toString()}`;
    expect(await loadVerificationKeys(pems, 'V')).toHaveLength(2);
    const set = JSON.stringify({ keys: [publicJwk, other.export({ format: 'jwk' }), publicJwk] });
    expect(await loadVerificationKeys(set, 'V')).toHaveLength(2);
  });

  it('refuses a private key among a service’s verification keys, naming the variable', async () => {
    await expect(loadVerificationKeys(`${publicPem}${privatePem}`, 'KEYS')).rejects.toThrow(
      /^KEYS: holds a private key/,
    );
  });

  it('refuses what is not a P-256 or Ed25519 key, naming the variable', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    await expect(loadVerificationKeys(rsa, 'KEYS')).rejects.toThrow(
      /^KEYS: an RSA key is not supported; use EC P-256/,
    );
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    await expect(loadVerificationKeys(p384, 'KEYS')).rejects.toThrow(
      /^KEYS: an EC key on secp384r1 is not supported/,
    );
    await expect(loadVerificationKeys('a-shared-secret', 'KEYS')).rejects.toThrow(
      /^KEYS: not a usable key/,
    );
    await expect(loadSigningKey(`${privatePem}${privatePem}`, 'SIGNING')).rejects.toThrow(
      /^SIGNING: holds 2 keys/,
    );
  });

  it('reads the material from the variable or from the file its _FILE twin names', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'itsm-keys-')), 'verification.pem');
    writeFileSync(file, publicPem);
    expect(readKeyMaterial({ KEYS: publicPem }, 'KEYS')).toBe(publicPem);
    expect(readKeyMaterial({ KEYS_FILE: file }, 'KEYS')).toBe(publicPem);
    expect(readKeyMaterial({ KEYS: ' ' }, 'KEYS')).toBeUndefined();
    expect(() => readKeyMaterial({ KEYS: publicPem, KEYS_FILE: file }, 'KEYS')).toThrow(/not both/);
    expect(() => readKeyMaterial({ KEYS_FILE: `${file}.missing` }, 'KEYS')).toThrow(
      /^KEYS_FILE: cannot read/,
    );
  });

  it('reads the keys of trusted services by name, as PEM or JWK Set, naming the service in errors', async () => {
    const other = ecPair().publicKey;
    const trusted = await loadTrustedServiceKeys(
      JSON.stringify({
        change: publicPem,
        problem: { keys: [other.export({ format: 'jwk' })] },
        release: JSON.stringify(publicJwk),
      }),
      'TRUSTED',
    );
    expect([...trusted.keys()]).toEqual(['change', 'problem', 'release']);
    expect(trusted.get('change')?.[0]?.kid).toBe((await loadSigningKey(privatePem, 'S')).kid);
    expect(await loadTrustedServiceKeys('{}', 'TRUSTED')).toEqual(new Map());
    await expect(
      loadTrustedServiceKeys(JSON.stringify({ change: privatePem }), 'TRUSTED'),
    ).rejects.toThrow(/^TRUSTED \(change\): holds a private key/);
    await expect(loadTrustedServiceKeys(publicPem, 'TRUSTED')).rejects.toThrow(
      /^TRUSTED: not JSON/,
    );
    await expect(loadTrustedServiceKeys('[]', 'TRUSTED')).rejects.toThrow(
      /^TRUSTED: must be a JSON object/,
    );
    await expect(
      loadTrustedServiceKeys(JSON.stringify({ 'Change!': publicPem }), 'TRUSTED'),
    ).rejects.toThrow(/^TRUSTED: "Change!" is not a service name/);
    await expect(loadTrustedServiceKeys(JSON.stringify({ change: 42 }), 'TRUSTED')).rejects.toThrow(
      /^TRUSTED \(change\): must be PEM/,
    );
  });

  describe('as a Helm chart makes it', () => {
    // Made once as Helm's `genPrivateKey "ecdsa"` and `genSelfSignedCertWithKey` make them (a
    // SEC1 "EC PRIVATE KEY" on P-256, and a self-signed X.509 certificate of its public key):
    //   openssl ecparam -name prime256v1 -genkey -noout -out helm-ec-private-key.pem
    //   openssl req -new -x509 -key helm-ec-private-key.pem -subj /CN=itsm-internal-identity \
    //     -days 36500 -out helm-self-signed-certificate.pem
    // A test key of no deployment: it signs nothing outside this test.
    const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
    const helmPrivateKey = fixture('helm-ec-private-key.pem');
    const helmCertificate = fixture('helm-self-signed-certificate.pem');

    it('signs with the SEC1 private key and verifies with the certificate under one key id', async () => {
      const signing = await loadSigningKey(helmPrivateKey, 'SIGNING');
      const [verifying, ...more] = await loadVerificationKeys(helmCertificate, 'KEYS');
      expect(more).toEqual([]);
      expect(verifying).toMatchObject({ kid: signing.kid, alg: 'ES256' });
    });

    it('takes several certificates, and certificates beside SPKI keys, as one rotation set', async () => {
      const next = generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString();
      const keys = await loadVerificationKeys(`${helmCertificate}\n${publicPem}${next}`, 'KEYS');
      expect(keys).toHaveLength(3);
      expect(keys[0]?.kid).toBe((await loadSigningKey(helmPrivateKey, 'S')).kid);
    });

    it('takes a certificate as a trusted service’s key', async () => {
      const trusted = await loadTrustedServiceKeys(
        JSON.stringify({ change: helmCertificate }),
        'TRUSTED',
      );
      expect(trusted.get('change')?.[0]?.kid).toBe((await loadSigningKey(helmPrivateKey, 'S')).kid);
    });

    it('refuses a certificate where the private key belongs, naming the variable', async () => {
      await expect(loadSigningKey(helmCertificate, 'SIGNING')).rejects.toThrow(
        /^SIGNING: holds a public key; signing needs the private key/,
      );
    });

    it('refuses a certificate of an RSA key, naming the variable', async () => {
      // openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=itsm-rsa -days 36500
      await expect(
        loadVerificationKeys(fixture('rsa-self-signed-certificate.pem'), 'KEYS'),
      ).rejects.toThrow(/^KEYS: an RSA key is not supported/);
    });
  });
});
