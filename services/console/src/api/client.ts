/**
 * The console's one way to the platform: the gateway's public API on the same origin
 * (`/api/v1`), with the signed-in user's bearer token. A 401 ends the session.
 */
import { rememberOwnWrite } from './own-writes';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  allowedTransitions?: string[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

const TOKEN_KEY = 'itsm.console.token';

/** The token lives in this tab's sessionStorage: gone when the tab closes, never in a cookie. */
export const tokenStore = {
  get(): string | undefined {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  },
  set(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called when the API answers 401: the session provider signs out. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Ends the session: the token is no longer accepted. */
export function signalUnauthenticated(): void {
  tokenStore.clear();
  for (const listener of unauthenticatedListeners) listener();
}

export interface ApiResponse<T> {
  body: T;
  etag: string | undefined;
}

export async function apiRequest<T>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; anonymous?: boolean } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = tokenStore.get();
  if (token && !options.anonymous) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'omit',
  });
  if (response.status === 401 && !options.anonymous) signalUnauthenticated();
  if (!response.ok) {
    const problem = response.headers.get('content-type')?.includes('json')
      ? ((await response.json()) as Problem)
      : undefined;
    throw new ApiError(response.status, problem);
  }
  const body = (response.status === 204 ? undefined : await response.json()) as T;
  if (method !== 'GET') rememberOwnWrite(body);
  return { body, etag: response.headers.get('etag') ?? undefined };
}

export async function apiGet<T>(path: string): Promise<T> {
  return (await apiRequest<T>('GET', path)).body;
}

/** `?a=1&b=x` from the entries that have a value. */
export function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
