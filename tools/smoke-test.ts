/**
 * The platform's smoke test, as `helm test` runs it from the platform image
 * (`node --enable-source-maps dist/tools/smoke-test.js`): through the gateway, waits until
 * it is ready, gets a token, creates an incident and reads it back. One line per step on
 * stdout; exit 0 when every step passed, 1 with the failed step and the answer (its
 * problem+json) when one did not, 2 when the configuration is wrong.
 *
 * Credentials, one of:
 * - ITSM_SMOKE_USERNAME + ITSM_SMOKE_PASSWORD[_FILE]: the gateway's local issuer
 *   (AUTH_MODE=local), `POST /api/v1/auth/token`;
 * - ITSM_SMOKE_TOKEN_URL + ITSM_SMOKE_CLIENT_ID + ITSM_SMOKE_CLIENT_SECRET[_FILE]
 *   (+ ITSM_SMOKE_SCOPE): an OIDC client-credentials grant at the identity provider, the
 *   client authenticating with HTTP Basic (RFC 6749 §2.3.1). Its token needs a role that may
 *   create incidents (agent, say).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value : undefined));

const smokeEnvironment = z.object({
  ITSM_SMOKE_BASE_URL: z.url({ protocol: /^https?$/ }),
  ITSM_SMOKE_USERNAME: optionalText,
  ITSM_SMOKE_PASSWORD: optionalText,
  ITSM_SMOKE_PASSWORD_FILE: optionalText,
  ITSM_SMOKE_TOKEN_URL: z.url({ protocol: /^https?$/ }).optional(),
  ITSM_SMOKE_CLIENT_ID: optionalText,
  ITSM_SMOKE_CLIENT_SECRET: optionalText,
  ITSM_SMOKE_CLIENT_SECRET_FILE: optionalText,
  ITSM_SMOKE_SCOPE: optionalText,
  /** How long to wait for the gateway to answer ready (a fresh install starts its pods). */
  ITSM_SMOKE_READY_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
  /** How long one HTTP request may take. */
  ITSM_SMOKE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

export type SmokeCredentials =
  | { kind: 'local'; username: string; password: string }
  | {
      kind: 'client-credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
    };

export interface SmokeConfig {
  baseUrl: string;
  credentials: SmokeCredentials;
  readyTimeoutMs: number;
  requestTimeoutMs: number;
}

export class SmokeConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** A secret from its variable or from the file `<variable>_FILE` names (a mounted Secret); not both. */
function secret(
  inline: string | undefined,
  file: string | undefined,
  variable: string,
  problems: string[],
): string | undefined {
  if (inline && file) {
    problems.push(`${variable}: set either it or ${variable}_FILE, not both`);
    return undefined;
  }
  if (!file) return inline;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    problems.push(`${variable}_FILE: cannot read ${file}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Reads and checks the environment, listing every problem at once. */
export function loadSmokeConfig(source: NodeJS.ProcessEnv): SmokeConfig {
  const parsed = smokeEnvironment.safeParse(source);
  if (!parsed.success)
    throw new SmokeConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  const env = parsed.data;
  const problems: string[] = [];
  const password = secret(
    env.ITSM_SMOKE_PASSWORD,
    env.ITSM_SMOKE_PASSWORD_FILE,
    'ITSM_SMOKE_PASSWORD',
    problems,
  );
  const clientSecret = secret(
    env.ITSM_SMOKE_CLIENT_SECRET,
    env.ITSM_SMOKE_CLIENT_SECRET_FILE,
    'ITSM_SMOKE_CLIENT_SECRET',
    problems,
  );
  const local = env.ITSM_SMOKE_USERNAME !== undefined || password !== undefined;
  const oidc =
    env.ITSM_SMOKE_TOKEN_URL !== undefined ||
    env.ITSM_SMOKE_CLIENT_ID !== undefined ||
    clientSecret !== undefined;
  let credentials: SmokeCredentials | undefined;
  if (local && oidc)
    problems.push(
      'ITSM_SMOKE_USERNAME/ITSM_SMOKE_PASSWORD and ITSM_SMOKE_TOKEN_URL/ITSM_SMOKE_CLIENT_ID/ITSM_SMOKE_CLIENT_SECRET: set one kind of credentials, not both',
    );
  else if (local) {
    if (!env.ITSM_SMOKE_USERNAME) problems.push('ITSM_SMOKE_USERNAME: is required with a password');
    if (!password)
      problems.push(
        'ITSM_SMOKE_PASSWORD (or ITSM_SMOKE_PASSWORD_FILE): is required with a username',
      );
    if (env.ITSM_SMOKE_USERNAME && password)
      credentials = { kind: 'local', username: env.ITSM_SMOKE_USERNAME, password };
  } else if (oidc) {
    if (!env.ITSM_SMOKE_TOKEN_URL)
      problems.push('ITSM_SMOKE_TOKEN_URL: is required for the client-credentials grant');
    if (!env.ITSM_SMOKE_CLIENT_ID)
      problems.push('ITSM_SMOKE_CLIENT_ID: is required for the client-credentials grant');
    if (!clientSecret)
      problems.push(
        'ITSM_SMOKE_CLIENT_SECRET (or ITSM_SMOKE_CLIENT_SECRET_FILE): is required for the client-credentials grant',
      );
    if (env.ITSM_SMOKE_TOKEN_URL && env.ITSM_SMOKE_CLIENT_ID && clientSecret)
      credentials = {
        kind: 'client-credentials',
        tokenUrl: env.ITSM_SMOKE_TOKEN_URL,
        clientId: env.ITSM_SMOKE_CLIENT_ID,
        clientSecret,
        scope: env.ITSM_SMOKE_SCOPE,
      };
  } else
    problems.push(
      'no credentials: set ITSM_SMOKE_USERNAME and ITSM_SMOKE_PASSWORD[_FILE] (the local issuer), or ITSM_SMOKE_TOKEN_URL, ITSM_SMOKE_CLIENT_ID and ITSM_SMOKE_CLIENT_SECRET[_FILE] (OIDC client credentials)',
    );
  if (problems.length > 0 || !credentials) throw new SmokeConfigurationError(problems);
  return {
    baseUrl: env.ITSM_SMOKE_BASE_URL.replace(/\/+$/, ''),
    credentials,
    readyTimeoutMs: env.ITSM_SMOKE_READY_TIMEOUT_MS,
    requestTimeoutMs: env.ITSM_SMOKE_REQUEST_TIMEOUT_MS,
  };
}

/** A step that did not pass: which, and what was answered. */
export class SmokeStepFailure extends Error {
  constructor(
    readonly step: string,
    readonly problem: string,
  ) {
    super(`${step}: ${problem}`);
  }
}

/** What an unexpected answer said: its status and body (a problem+json document, usually). */
async function describeAnswer(response: Response): Promise<string> {
  const body = (await response.text().catch(() => '')).slice(0, 2000);
  return `HTTP ${response.status} ${response.headers.get('content-type') ?? ''} ${body}`.trim();
}

/** The OIDC client-credentials grant (RFC 6749 §4.4), the client authenticated with HTTP Basic. */
export function clientCredentialsRequest(
  credentials: Extract<SmokeCredentials, { kind: 'client-credentials' }>,
): { url: string; init: RequestInit } {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (credentials.scope) form.set('scope', credentials.scope);
  // RFC 6749 §2.3.1: each part form-encoded before the Basic encoding.
  const basic = Buffer.from(
    `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
  ).toString('base64');
  return {
    url: credentials.tokenUrl,
    init: {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    },
  };
}

interface Incident {
  id: string;
  number?: string;
  title: string;
  description: string;
  impact: number;
  urgency: number;
}

/** Runs the steps in order, printing one line per step passed; throws {@link SmokeStepFailure} at the first that fails. */
export async function runSmokeTest(
  config: SmokeConfig,
  print: (line: string) => void,
): Promise<void> {
  const call = async (step: string, url: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(config.requestTimeoutMs) });
    } catch (error) {
      throw new SmokeStepFailure(step, `${url}: ${(error as Error).message}`);
    }
  };
  const started = Date.now();

  const readyUrl = `${config.baseUrl}/health/ready`;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(readyUrl, {
      signal: AbortSignal.timeout(config.requestTimeoutMs),
    }).catch((error: unknown) => error as Error);
    if (response instanceof Response && response.ok) {
      print(`ok ready: ${readyUrl} after ${attempt} attempt(s), ${Date.now() - started} ms`);
      break;
    }
    if (Date.now() - started >= config.readyTimeoutMs)
      throw new SmokeStepFailure(
        'ready',
        `${readyUrl} not ready within ${config.readyTimeoutMs} ms: ${
          response instanceof Response ? await describeAnswer(response) : response.message
        }`,
      );
    await sleep(1000);
  }

  let accessToken: string;
  const { credentials } = config;
  if (credentials.kind === 'local') {
    const response = await call('token', `${config.baseUrl}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: credentials.username, password: credentials.password }),
    });
    if (response.status !== 200)
      throw new SmokeStepFailure('token', await describeAnswer(response));
    accessToken = ((await response.json()) as { accessToken: string }).accessToken;
    print(`ok token: the local issuer logged ${credentials.username} in`);
  } else {
    const { url, init } = clientCredentialsRequest(credentials);
    const response = await call('token', url, init);
    if (response.status !== 200)
      throw new SmokeStepFailure('token', await describeAnswer(response));
    const body = (await response.json()) as { access_token?: unknown };
    if (typeof body.access_token !== 'string')
      throw new SmokeStepFailure('token', `${url} answered no access_token`);
    accessToken = body.access_token;
    print(`ok token: client credentials of ${credentials.clientId} at ${url}`);
  }
  const authorization = `Bearer ${accessToken}`;

  const marker = randomUUID();
  const sent = {
    title: `Smoke test ${marker}`,
    description: 'Created by the platform smoke test (helm test); nothing to do.',
    impact: 3,
    urgency: 3,
  };
  const created = await call('create', `${config.baseUrl}/api/v1/incidents`, {
    method: 'POST',
    headers: {
      authorization,
      'content-type': 'application/json',
      'idempotency-key': marker,
    },
    body: JSON.stringify(sent),
  });
  if (created.status !== 201) throw new SmokeStepFailure('create', await describeAnswer(created));
  const { id, number } = (await created.json()) as Incident;
  print(`ok create: incident ${number ? `${number} (${id})` : id}`);

  const read = await call('read', `${config.baseUrl}/api/v1/incidents/${id}`, {
    headers: { authorization },
  });
  if (read.status !== 200) throw new SmokeStepFailure('read', await describeAnswer(read));
  const incident = (await read.json()) as Incident;
  const wrong = (Object.keys(sent) as (keyof typeof sent)[]).filter(
    (field) => incident[field] !== sent[field],
  );
  if (incident.id !== id || wrong.length > 0)
    throw new SmokeStepFailure(
      'read',
      `incident ${id} came back with other ${['id', ...wrong].join(', ')}: ${JSON.stringify(incident)}`,
    );
  print(`ok read: incident ${id} as created`);
}

async function main(): Promise<number> {
  let config: SmokeConfig;
  try {
    config = loadSmokeConfig(process.env);
  } catch (error) {
    console.error(`smoke test: ${(error as Error).message}`);
    return 2;
  }
  try {
    await runSmokeTest(config, (line) => console.log(line));
    console.log('smoke test passed');
    return 0;
  } catch (error) {
    if (error instanceof SmokeStepFailure) {
      console.log(`FAILED ${error.step}: ${error.problem}`);
      return 1;
    }
    console.log(
      `FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}

if (require.main === module) void main().then((code) => (process.exitCode = code));
