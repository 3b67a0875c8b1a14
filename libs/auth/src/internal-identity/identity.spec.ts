import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { type Caller } from '../caller';
import {
  InternalIdentitySigner,
  InternalIdentityVerifier,
  InvalidInternalIdentity,
  MAX_IDENTITY_LIFETIME_SECONDS,
  ServiceIdentitySigner,
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
  options: {
    service?: string;
    now?: () => number;
    replayCacheSize?: number;
    trustedServices?: Map<string, IdentityKey[]>;
  } = {},
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

describe('the identity a service signs as itself for another (ADR 12)', () => {
  const changeKeys = pemPair();
  const impact = { method: 'POST', target: '/api/v1/cis/impact' };
  const asChange = { username: 'service:change', roles: [], groups: [], kind: 'service' };

  async function changeSigner(pair: PemPair = changeKeys, service = 'change') {
    return new ServiceIdentitySigner(await loadSigningKey(pair.privatePem, 'SIGNING'), {
      service,
      ttlSeconds: 5,
    });
  }

  /** The cmdb service, trusting the gateway's keys and the change service's. */
  async function cmdb(trusted: Record<string, string> = { change: changeKeys.publicPem }) {
    const trustedServices = new Map<string, IdentityKey[]>();
    for (const [service, pem] of Object.entries(trusted))
      trustedServices.set(service, await loadVerificationKeys(pem, service));
    return verifier(gatewayKeys.publicPem, { service: 'cmdb', trustedServices });
  }

  it('stands for the calling service, with no roles or groups, at a service that trusts its key', async () => {
    const token = await (await changeSigner()).sign({ ...impact, service: 'cmdb' });
    await expect((await cmdb()).verify(token, impact)).resolves.toEqual(asChange);
  });

  it('is refused where the calling service is not trusted', async () => {
    const token = await (await changeSigner()).sign({ ...impact, service: 'cmdb' });
    await expect((await cmdb({})).verify(token, impact)).rejects.toEqual(refusal(/unknown key/));
    await expect(
      (await cmdb({ problem: pemPair().publicPem })).verify(token, impact),
    ).rejects.toEqual(refusal(/unknown key/));
  });

  it('is refused at another service than the one it was minted for', async () => {
    const token = await (await changeSigner()).sign({ ...impact, service: 'incident' });
    await expect((await cmdb()).verify(token, impact)).rejects.toEqual(refusal(/aud/));
  });

  it('is refused for another method, path or query', async () => {
    const sign = await changeSigner();
    const check = await cmdb();
    const token = await sign.sign({ ...impact, service: 'cmdb' });
    await expect(check.verify(token, { ...impact, method: 'GET' })).rejects.toEqual(
      refusal(/minted for POST/),
    );
    await expect(
      check.verify(token, { method: 'POST', target: '/api/v1/cis/impact?depth=9' }),
    ).rejects.toEqual(refusal(/another path/));
    await expect(check.verify(token, impact)).resolves.toEqual(asChange);
  });

  it('is refused the second time', async () => {
    const token = await (await changeSigner()).sign({ ...impact, service: 'cmdb' });
    const check = await cmdb();
    await check.verify(token, impact);
    await expect(check.verify(token, impact)).rejects.toEqual(refusal(/replayed/));
  });

  it('cannot speak for another service, nor for the gateway, with the key trusted for one', async () => {
    const key = await loadSigningKey(changeKeys.privatePem, 'SIGNING');
    const check = await cmdb({ change: changeKeys.publicPem, problem: pemPair().publicPem });
    // Signed by change's key under another service's name: the issuer is the key's owner's.
    const posingAsProblem = await new ServiceIdentitySigner(key, {
      service: 'problem',
      ttlSeconds: 5,
    }).sign({ ...impact, service: 'cmdb' });
    await expect(check.verify(posingAsProblem, impact)).rejects.toEqual(refusal(/iss/));
    const posingAsGateway = await new SignJWT({ roles: ['admin'], kind: 'user', htm: 'POST' })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'itsm-caller+jwt' })
      .setSubject('admin')
      .setIssuer('urn:itsm:gateway')
      .setAudience('urn:itsm:service:cmdb')
      .setJti('posing')
      .setIssuedAt()
      .setExpirationTime('5s')
      .sign(key.key);
    await expect(check.verify(posingAsGateway, impact)).rejects.toEqual(refusal(/iss/));
  });

  it('takes no roles or groups from the token, and no other subject than the service', async () => {
    const key = await loadSigningKey(changeKeys.privatePem, 'SIGNING');
    const forged = (subject: string, claims: Record<string, unknown>) =>
      new SignJWT({ kind: 'service', htm: 'POST', htu: impact.target, ...claims })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'itsm-caller+jwt' })
        .setSubject(subject)
        .setIssuer('urn:itsm:service:change')
        .setAudience('urn:itsm:service:cmdb')
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime('5s')
        .sign(key.key);
    const check = await cmdb();
    await expect(
      check.verify(await forged('service:change', { roles: ['admin'], groups: ['x'] }), impact),
    ).resolves.toEqual(asChange);
    await expect(check.verify(await forged('admin', {}), impact)).rejects.toEqual(
      refusal(/not an identity of the change service/),
    );
    await expect(
      check.verify(await forged('service:change', { kind: 'user' }), impact),
    ).rejects.toEqual(refusal(/not an identity of the change service/));
  });

  it('is never what the gateway signs: not for a service caller, nor taken from a gateway identity', async () => {
    const gateway = await signer();
    await expect(gateway.sign(asChange as Caller, { ...impact, service: 'cmdb' })).rejects.toThrow(
      /does not sign identities of services/,
    );
    await expect(
      gateway.sign({ ...agent, username: 'service:change' }, { ...impact, service: 'cmdb' }),
    ).rejects.toThrow(/does not sign identities of services/);
    const key = await loadSigningKey(gatewayKeys.privatePem, 'SIGNING');
    const claimingService = await new SignJWT({ kind: 'service', htm: 'POST', htu: impact.target })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'itsm-caller+jwt' })
      .setSubject('service:change')
      .setIssuer('urn:itsm:gateway')
      .setAudience('urn:itsm:service:cmdb')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('5s')
      .sign(key.key);
    await expect((await cmdb()).verify(claimingService, impact)).rejects.toEqual(
      refusal(/does not speak for services/),
    );
  });

  it('refuses one key trusted for two signers, which would let one act as the other', async () => {
    await expect(cmdb({ change: gatewayKeys.publicPem })).rejects.toThrow(
      /trusted as the gateway’s and as the change service’s/,
    );
    await expect(
      cmdb({ change: changeKeys.publicPem, problem: changeKeys.publicPem }),
    ).rejects.toThrow(/each signer needs a key of its own/);
  });

  it('reports the keys it accepts from each service, for the start-up log', async () => {
    const check = await cmdb();
    expect(check.kids).toHaveLength(1);
    expect(check.serviceKids.get('change')).toEqual([
      (await loadSigningKey(changeKeys.privatePem, 'S')).kid,
    ]);
  });

  it('keeps service names to what an audience and an issuer can carry', async () => {
    const key = await loadSigningKey(changeKeys.privatePem, 'SIGNING');
    expect(() => new ServiceIdentitySigner(key, { service: 'Change:x', ttlSeconds: 5 })).toThrow(
      /not a service name/,
    );
  });
});
