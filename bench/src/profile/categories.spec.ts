import { CATEGORY, aggregate, classifyFrame, packageOf, type CpuProfile } from './categories';

const DIST = 'file:///repo/dist';
const MODULES = 'file:///repo/node_modules';

/** A profile from a list of stacks (root first), one node per distinct frame path. */
function profileOf(samples: { stack: [string, string][]; us: number }[]): CpuProfile {
  const nodes: CpuProfile['nodes'] = [
    {
      id: 1,
      callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 },
      children: [],
    },
  ];
  const byPath = new Map<string, number>();
  const ids: number[] = [];
  for (const { stack } of samples) {
    let parent = 1;
    let path = '';
    for (const [functionName, url] of stack) {
      path += `>${functionName}@${url}`;
      let id = byPath.get(path);
      if (id === undefined) {
        id = nodes.length + 1;
        byPath.set(path, id);
        nodes.push({
          id,
          callFrame: { functionName, url, lineNumber: 0, columnNumber: 0 },
          children: [],
        });
        nodes[parent - 1]?.children?.push(id);
      }
      parent = id;
    }
    ids.push(parent);
  }
  // timeDeltas[i + 1] is what sample i stands for.
  const timeDeltas = [0, ...samples.map((sample) => sample.us)];
  return { nodes, startTime: 0, endTime: 1, samples: ids, timeDeltas };
}

describe('the CPU profile categories', () => {
  it('names the package of a script, scoped or not, innermost node_modules first', () => {
    expect(packageOf(`${MODULES}/@nestjs/core/router/router-proxy.js`)).toBe('@nestjs/core');
    expect(packageOf(`${MODULES}/a/node_modules/pino/lib/proto.js`)).toBe('pino');
    expect(packageOf(`${DIST}/services/gateway/src/main.js`)).toBeUndefined();
  });

  it('gives jose, V8 builtins and Node internals to the code that called them', () => {
    const profile = profileOf([
      {
        stack: [
          ['canActivate', `${DIST}/services/gateway/src/auth/http/authentication.guard.js`],
          ['verify', `${DIST}/services/gateway/src/auth/domain/token-verifier.js`],
          ['jwtVerify', `${MODULES}/jose/dist/webapi/jwt/verify.js`],
          ['parse', ''],
        ],
        us: 300,
      },
      {
        stack: [
          ['forward', `${DIST}/services/gateway/src/routing/upstream-forwarder.js`],
          ['sign', `${DIST}/libs/auth/src/internal-identity/identity.js`],
          ['mint', `${DIST}/libs/auth/src/internal-identity/identity.js`],
          ['sign', `${MODULES}/jose/dist/webapi/jwt/sign.js`],
          ['digest', 'node:internal/crypto/webcrypto'],
        ],
        us: 200,
      },
      {
        stack: [
          ['canActivate', `${DIST}/libs/auth/src/nest/internal-identity.guard.js`],
          ['verify', `${DIST}/libs/auth/src/internal-identity/identity.js`],
          ['verifySignature', `${DIST}/libs/auth/src/internal-identity/identity.js`],
        ],
        us: 100,
      },
    ]);
    const totals = aggregate(profile);
    expect(totals.busyUs).toBe(600);
    expect(Object.fromEntries(totals.byCategory)).toEqual({
      [CATEGORY.authentication]: 300,
      [CATEGORY.identitySigning]: 200,
      [CATEGORY.identityVerification]: 100,
    });
  });

  it('counts a package by itself even when application code called it, and leaves idle out', () => {
    const totals = aggregate(
      profileOf([
        {
          stack: [
            ['open', `${DIST}/services/incident/src/records/application/records.service.js`],
            ['insert', `${MODULES}/typeorm/entity-manager/EntityManager.js`],
            ['query', `${MODULES}/pg/lib/client.js`],
          ],
          us: 50,
        },
        {
          stack: [
            ['open', `${DIST}/services/incident/src/records/application/records.service.js`],
            ['insert', `${MODULES}/typeorm/entity-manager/EntityManager.js`],
          ],
          us: 70,
        },
        { stack: [['startActiveSpan', `${MODULES}/@opentelemetry/sdk-trace-base/x.js`]], us: 20 },
        { stack: [['(garbage collector)', '']], us: 10 },
        { stack: [['(idle)', '']], us: 1000 },
      ]),
    );
    expect(totals.idleUs).toBe(1000);
    expect(Object.fromEntries(totals.byCategory)).toEqual({
      [CATEGORY.driver]: 50,
      [CATEGORY.orm]: 70,
      [CATEGORY.tracing]: 20,
      [CATEGORY.gc]: 10,
    });
    expect(totals.byPackage.get('typeorm')).toBe(70);
  });

  it('gives an ECDSA job resumed without its caller to the JWT operation it is', () => {
    const totals = aggregate(
      profileOf([
        {
          stack: [
            ['processTicksAndRejections', 'node:internal/process/task_queues'],
            ['verifyImpl', 'node:internal/crypto/webcrypto'],
            ['jobPromise', 'node:internal/crypto/util'],
            ['run', ''],
          ],
          us: 40,
        },
        {
          stack: [
            ['processTicksAndRejections', 'node:internal/process/task_queues'],
            ['createSignature', `${MODULES}/jose/dist/webapi/lib/jws_sign.js`],
            ['encode', ''],
          ],
          us: 10,
        },
      ]),
    );
    expect(Object.fromEntries(totals.byCategory)).toEqual({
      [CATEGORY.jwtVerify]: 40,
      [CATEGORY.jwtSign]: 10,
    });
  });

  it('falls back to the leaf’s own kind when nothing on the stack names a category', () => {
    expect(classifyFrame('node:internal/crypto/keys', 'x')).toEqual({
      category: 'node: crypto',
      transparent: true,
      weight: 1,
    });
    const totals = aggregate(
      profileOf([{ stack: [['onStreamRead', 'node:internal/stream_base_commons']], us: 5 }]),
    );
    expect(Object.fromEntries(totals.byCategory)).toEqual({ [CATEGORY.http]: 5 });
  });
});
