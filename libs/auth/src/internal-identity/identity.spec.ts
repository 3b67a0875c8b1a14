import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { type Caller } from '../caller';
import {
  InternalIdentitySigner,
  InternalIdentityVerifier,
  InvalidInternalIdentity,
  MAX_IDENTITY_LIFETIME_SECONDS,
} from './identity';
import { loadSigningKey, loadVerificationKeys, type IdentityKey } from './keys';
import { ReplayCacheFull } from './replay-cache';

const agent: Caller = { username: 'alex', roles: ['agent'], groups: ['network'], kind: 'user' };
const listIncidents = { method: 'GET', target: '/api/v1/incidents?limit=10' };

interface PemPair {
  privatePem: string;
  publicPem: string;
}

function pemPair(type: 'ec' | 'ed25519' = 'ec'): PemPair {
  const { privateKey, publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const gatewayKeys = pemPair();

async function signer(pair: PemPair = gatewayKeys, ttlSeconds = 5, now = Date.now) {
  return new InternalIdentitySigner(await loadSigningKey(pair.privatePem, 'SIGNING'), {
    ttlSeconds,
    now,
  });
}

async function verifier(
  keys: IdentityKey[] | string = gatewayKeys.publicPem,
  options: { service?: string; now?: () => number; replayCacheSize?: number } = {},
) {
  return new InternalIdentityVerifier(
    typeof keys === 'string' ? await loadVerificationKeys(keys, 'VERIFICATION') : keys,
    { service: 'incident', replayCacheSize: 1000, ...options },
  );
}

const refusal = (reason: RegExp): unknown =>
  expect.objectContaining({
    name: InvalidInternalIdentity.name,
    message: expect.stringMatching(reason),
  });

describe('the internal identity the gateway signs and a service verifies', () => {
  it('carries the caller to the service it was minted for, for the request it was minted for', async () => {
    const token = await (await signer()).sign(agent, { ...listIncidents, service: 'incident' });
    await expect((await verifier()).verify(token, listIncidents)).resolves.toEqual(agent);
  });

  it('works with Ed25519 (EdDSA) keys as with P-256 (ES256) ones', async () => {
    const pair = pemPair('ed25519');
    const token = await (await signer(pair)).sign(agent, { ...listIncidents, service: 'incident' });
    await expect((await verifier(pair.publicPem)).verify(token, listIncidents)).resolves.toEqual(
      agent,
    );
  });

  it('refuses a request without one', async () => {
    await expect((await verifier()).verify(undefined, listIncidents)).rejects.toEqual(
      refusal(/missing/),
    );
  });

  it('refuses it for another method', async () => {
    const token = await (await signer()).sign(agent, { ...listIncidents, service: 'incident' });
    await expect(
      (await verifier()).verify(token, { ...listIncidents, method: 'DELETE' }),
    ).rejects.toEqual(refusal(/minted for GET/));
  });

  it('refuses it for another path, or the same path with another query', async () => {
    const sign = await signer();
    const check = await verifier();
    const token = await sign.sign(agent, { ...listIncidents, service: 'incident' });
    await expect(
      check.verify(token, { method: 'GET', target: '/api/v1/incidents/1' }),
    ).rejects.toEqual(refusal(/another path/));
    const other = await sign.sign(agent, { ...listIncidents, service: 'incident' });
    await expect(
      check.verify(other, { method: 'GET', target: '/api/v1/incidents?limit=10&assignee=me' }),
    ).rejects.toEqual(refusal(/another path/));
  });

  it('refuses it at another service', async () => {
    const token = await (await signer()).sign(agent, { ...listIncidents, service: 'reporting' });
    await expect((await verifier()).verify(token, listIncidents)).rejects.toEqual(refusal(/aud/));
  });

  it('refuses it once expired, beyond a small clock tolerance', async () => {
    const minted = Date.now();
    const token = await (
      await signer(gatewayKeys, 5, () => minted)
    ).sign(agent, { ...listIncidents, service: 'incident' });
    const late = await verifier(gatewayKeys.publicPem, { now: () => minted + 7_500 });
    await expect(late.verify(token, listIncidents)).rejects.toEqual(refusal(/exp/));
    const slightlySkewed = await verifier(gatewayKeys.publicPem, { now: () => minted + 6_000 });
    await expect(slightlySkewed.verify(token, listIncidents)).resolves.toEqual(agent);
  });

  it('refuses it the second time', async () => {
    const token = await (await signer()).sign(agent, { ...listIncidents, service: 'incident' });
    const check = await verifier();
    await check.verify(token, listIncidents);
    await expect(check.verify(token, listIncidents)).rejects.toEqual(refusal(/replayed/));
  });

  it('does not let a refused presentation use up the identity', async () => {
    const token = await (await signer()).sign(agent, { ...listIncidents, service: 'incident' });
    const check = await verifier();
    await expect(check.verify(token, { ...listIncidents, method: 'POST' })).rejects.toThrow();
    await expect(check.verify(token, listIncidents)).resolves.toEqual(agent);
  });

  it('answers a full replay cache as an overload, not as a bad identity', async () => {
    const sign = await signer();
    const check = await verifier(gatewayKeys.publicPem, { replayCacheSize: 1 });
    await check.verify(
      await sign.sign(agent, { ...listIncidents, service: 'incident' }),
      listIncidents,
    );
    await expect(
      check.verify(
        await sign.sign(agent, { ...listIncidents, service: 'incident' }),
        listIncidents,
      ),
    ).rejects.toBeInstanceOf(ReplayCacheFull);
  });

  it('refuses one signed by a key outside its set, even under a known key id', async () => {
    const intruder = await loadSigningKey(pemPair().privatePem, 'SIGNING');
    const known = await loadSigningKey(gatewayKeys.privatePem, 'SIGNING');
    const request = { ...listIncidents, service: 'incident' };
    const check = await verifier();
    const unknownKid = await new InternalIdentitySigner(intruder, { ttlSeconds: 5 }).sign(
      agent,
      request,
    );
    await expect(check.verify(unknownKid, listIncidents)).rejects.toEqual(refusal(/unknown key/));
    const borrowedKid = await new InternalIdentitySigner(
      { ...intruder, kid: known.kid },
      { ttlSeconds: 5 },
    ).sign(agent, request);
    await expect(check.verify(borrowedKid, listIncidents)).rejects.toEqual(
      refusal(/signature verification failed/),
    );
  });

  it('refuses an HS256 identity of the old shared-secret scheme', async () => {
    const secret = new TextEncoder().encode('the-old-shared-secret-of-32-characters');
    const check = await verifier();
    const [kid] = check.kids;
    const old = (header: { alg: string; kid?: string }) =>
      new SignJWT({ roles: ['admin'], groups: [], kind: 'user', ...listIncidents })
        .setProtectedHeader({ ...header, typ: 'itsm-caller+jwt' })
        .setSubject('admin')
        .setIssuer('urn:itsm:gateway')
        .setAudience('urn:itsm:services')
        .setJti('old')
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(secret);
    await expect(check.verify(await old({ alg: 'HS256' }), listIncidents)).rejects.toEqual(
      refusal(/unknown key/),
    );
    await expect(check.verify(await old({ alg: 'HS256', kid }), listIncidents)).rejects.toEqual(
      refusal(/alg/),
    );
  });

  it('refuses an identity that lives longer than any the gateway may mint', async () => {
    const key = await loadSigningKey(gatewayKeys.privatePem, 'SIGNING');
    const longLived = await new SignJWT({
      roles: agent.roles,
      htm: 'GET',
      htu: listIncidents.target,
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'itsm-caller+jwt' })
      .setSubject('alex')
      .setIssuer('urn:itsm:gateway')
      .setAudience('urn:itsm:service:incident')
      .setJti('long')
      .setIssuedAt()
      .setExpirationTime(`${MAX_IDENTITY_LIFETIME_SECONDS + 1}s`)
      .sign(key.key);
    await expect((await verifier()).verify(longLived, listIncidents)).rejects.toEqual(
      refusal(/longer/),
    );
  });

  it('accepts both keys of a rollover, while the gateway signs with either', async () => {
    const next = pemPair();
    const check = await verifier(`${gatewayKeys.publicPem}\n${next.publicPem}`);
    expect(check.kids).toHaveLength(2);
    for (const pair of [gatewayKeys, next]) {
      const token = await (
        await signer(pair)
      ).sign(agent, { ...listIncidents, service: 'incident' });
      await expect(check.verify(token, listIncidents)).resolves.toEqual(agent);
    }
  });

  it('cannot sign with a service’s verify-only configuration', async () => {
    const [publicKey] = await loadVerificationKeys(gatewayKeys.publicPem, 'VERIFICATION');
    if (!publicKey) throw new Error('no key loaded');
    expect(publicKey.key.type).toBe('public');
    expect(() => new InternalIdentitySigner(publicKey, { ttlSeconds: 5 })).toThrow(
      /needs the private key/,
    );
    await expect(
      new SignJWT({}).setProtectedHeader({ alg: publicKey.alg }).sign(publicKey.key),
    ).rejects.toThrow();
    await expect(loadSigningKey(gatewayKeys.publicPem, 'SIGNING')).rejects.toThrow(
      /SIGNING: holds a public key/,
    );
  });

  it('keeps an identity’s lifetime within seconds', async () => {
    const key = await loadSigningKey(gatewayKeys.privatePem, 'SIGNING');
    expect(() => new InternalIdentitySigner(key, { ttlSeconds: 0 })).toThrow();
    expect(
      () => new InternalIdentitySigner(key, { ttlSeconds: MAX_IDENTITY_LIFETIME_SECONDS + 1 }),
    ).toThrow();
  });
});
