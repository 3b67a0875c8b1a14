/** One answer as a fault test looks at it: status, media type, body, and how long it took. */
export interface Answer {
  status: number;
  contentType: string;
  body: unknown;
  etag?: string;
  elapsedMs: number;
}

/**
 * A request that cannot hang the test: a fault suite asks services that may be half dead,
 * and a request still open when its deadline passes is itself the failure being looked for.
 */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  deadlineMs = 30_000,
): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(deadlineMs),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: kept as text for the failure message.
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body,
    etag: response.headers.get('etag') ?? undefined,
    elapsedMs: Date.now() - started,
  };
}

export async function bearerToken(gatewayUrl: string, username: string): Promise<string> {
  const answer = await call(`${gatewayUrl}/api/v1/auth/token`, {
    method: 'POST',
    body: { username, password: process.env.ITSM_DEV_PASSWORD ?? 'itsm-dev' },
  });
  if (answer.status !== 200)
    throw new Error(`no token for ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { accessToken: string }).accessToken;
}
