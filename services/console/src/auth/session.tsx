import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { UserManager } from 'oidc-client-ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, apiGet, apiRequest, onUnauthenticated, tokenStore } from '../api/client';
import type { Me, SignInConfig } from '../api/types';

/** The callback path the identity provider sends the browser back to (register it there). */
export const OIDC_CALLBACK_PATH = '/auth/callback';

export interface Session {
  config: SignInConfig | undefined;
  me: Me | undefined;
  /** Why `me` could not be read (other than a 401, which signs out). */
  meError: string | undefined;
  signedIn: boolean;
  /** Set when the API answered 401 after the user had signed in. */
  expired: boolean;
  can(permission: string): boolean;
  signInLocal(username: string, password: string): Promise<void>;
  signInOidc(): Promise<void>;
  completeOidc(): Promise<void>;
  signOut: () => void;
}

/** What the gateway says about signing in (`GET /api/v1/auth/config`). */
export const authConfigQuery = queryOptions({
  queryKey: ['auth-config'],
  queryFn: () => apiGet<SignInConfig>('/auth/config'),
  staleTime: Infinity,
});

/** Who the token is (`GET /api/v1/auth/me`); one entry per token. */
export const meQuery = (token: string | undefined) =>
  queryOptions({
    queryKey: ['me', token],
    queryFn: () => apiGet<Me>('/auth/me'),
    enabled: token !== undefined,
    staleTime: 60_000,
  });

/**
 * Starts the session's reads as the script runs: as queries of the provider they would start
 * only after React's first render, some 400 ms into a first load on this machine.
 */
export function prefetchSession(queryClient: QueryClient): void {
  void queryClient.prefetchQuery(authConfigQuery);
  const token = tokenStore.get();
  if (token !== undefined) void queryClient.prefetchQuery(meQuery(token));
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/**
 * The identity provider's client, loaded (65 kB) only where sign-in goes through one: the
 * local issuer's users never download it.
 */
async function userManagerOf(config: SignInConfig | undefined): Promise<UserManager | undefined> {
  if (config?.mode !== 'oidc' || !config.oidc) return undefined;
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    scope: config.oidc.scope,
    redirect_uri: `${window.location.origin}${OIDC_CALLBACK_PATH}`,
    post_logout_redirect_uri: window.location.origin,
    response_type: 'code',
    // Authorisation code with PKCE; the user's tokens stay in this tab's sessionStorage.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Renewed before it expires with the provider's refresh token, where it gives one (some
    // want `offline_access` in CONSOLE_OIDC_SCOPE); without one the session ends at expiry.
    automaticSilentRenew: true,
  });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState(tokenStore.get());
  const [expired, setExpired] = useState(false);

  const config = useQuery(authConfigQuery);
  const me = useQuery(meQuery(token));
  const userManager = useMemo(() => userManagerOf(config.data), [config.data]);
  const navigate = useNavigate();

  useEffect(() => {
    let cancelled = false;
    let stopFollowing: (() => void) | undefined;
    void userManager.then(async (manager) => {
      if (!manager || cancelled) return;
      // A renewed token replaces the one the API calls carry; nothing else changes.
      stopFollowing = manager.events.addUserLoaded((user) => tokenStore.set(user.access_token));
      // Back from signing out at the provider (`/?state=`): that state is spent.
      const here = new URL(window.location.href);
      if (here.pathname === '/' && here.searchParams.has('state')) {
        await manager.signoutCallback(here.href).catch(() => undefined);
        if (!cancelled) void navigate('/', { replace: true });
      }
    });
    return () => {
      cancelled = true;
      stopFollowing?.();
    };
  }, [userManager, navigate]);

  useEffect(() => {
    const end = () => {
      setToken(undefined);
      setExpired(true);
      queryClient.clear();
    };
    // A 401 to a read started before this listener (prefetchSession) has cleared the token.
    if (token !== undefined && tokenStore.get() === undefined) end();
    return onUnauthenticated(end);
  }, [queryClient, token]);

  const begin = useCallback((accessToken: string) => {
    tokenStore.set(accessToken);
    setExpired(false);
    setToken(accessToken);
  }, []);

  const signInLocal = useCallback(
    async (username: string, password: string) => {
      const { body } = await apiRequest<{ accessToken: string }>('POST', '/auth/token', {
        body: { username, password },
        anonymous: true,
      });
      begin(body.accessToken);
    },
    [begin],
  );

  const identityProvider = useCallback(async () => {
    const manager = await userManager;
    if (!manager) throw new Error('no identity provider is configured');
    return manager;
  }, [userManager]);

  const signInOidc = useCallback(async () => {
    await (await identityProvider()).signinRedirect();
  }, [identityProvider]);

  const completeOidc = useCallback(async () => {
    const user = await (await identityProvider()).signinRedirectCallback();
    begin(user.access_token);
  }, [identityProvider, begin]);

  const signOut = useCallback(() => {
    tokenStore.clear();
    setToken(undefined);
    queryClient.clear();
    void userManager.then(async (manager) => {
      if (!manager) return;
      // Signed out at the provider too where it offers that, or the next sign-in there would
      // go through without asking; it sends the browser back to the console.
      if (await manager.metadataService.getEndSessionEndpoint()) await manager.signoutRedirect();
      else await manager.removeUser();
    });
  }, [queryClient, userManager]);

  const permissions = useMemo(() => new Set(me.data?.permissions ?? []), [me.data]);
  const session: Session = {
    config: config.data,
    me: me.data,
    meError: me.error ? me.error.message : undefined,
    signedIn: token !== undefined && !(me.error instanceof ApiError && me.error.status === 401),
    expired,
    can: (permission) => permissions.has(permission),
    signInLocal,
    signInOidc,
    completeOidc,
    signOut,
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
