import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ReactNode } from 'react';
import { signalUnauthenticated, tokenStore } from '../api/client';
import { readEventStream } from './event-stream';

/** A `change` event of `GET /api/v1/stream` (docs/console.md, "Live updates"). */
export interface LiveChange {
  recordType: 'incident' | 'request' | 'problem' | 'change';
  id: string;
  number: string;
  state: string;
  version: number;
  event: string;
  changedFields: string[];
  at: string;
}

type Listener = (change: LiveChange) => void;

interface LiveUpdates {
  /** Whether the stream follows the changes now (`ready` received, not ended since). */
  connected: boolean;
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<LiveUpdates | undefined>(undefined);

/** After the stream ends or fails: wait, a little longer each time, up to a minute. */
const RETRY_MS = [3_000, 5_000, 10_000, 30_000, 60_000];

/** Views besides a type's own list (`['changes', …]`) that show its records. */
const ALSO_LISTED: Partial<Record<LiveChange['recordType'], readonly string[]>> = {
  change: ['schedule', 'change-inbox', 'cab-agenda'],
};

/** A busy desk changes many records a second: a list is read again at most this often. */
const LIST_REFRESH_MS = 1000;

/**
 * Reads again what a change concerns: the record at once (its key `['incident', id, …]`:
 * record, moves, journal, history, timers), the lists (`['incidents', …]`, and for changes
 * the calendar, the approvals inbox and the CAB agenda) once per
 * {@link LIST_REFRESH_MS} whatever the number of changes, since a list with several pages
 * loaded reads them all again.
 */
function invalidator(queryClient: QueryClient) {
  const pendingLists = new Map<string, ReturnType<typeof setTimeout>>();
  const refreshSoon = (list: string) => {
    if (pendingLists.has(list)) return;
    pendingLists.set(
      list,
      setTimeout(() => {
        pendingLists.delete(list);
        void queryClient.invalidateQueries({ queryKey: [list] });
      }, LIST_REFRESH_MS),
    );
  };
  return {
    changed(change: LiveChange): void {
      void queryClient.invalidateQueries({ queryKey: [change.recordType, change.id] });
      for (const list of [`${change.recordType}s`, ...(ALSO_LISTED[change.recordType] ?? [])])
        refreshSoon(list);
    },
    stop(): void {
      for (const timer of pendingLists.values()) clearTimeout(timer);
    },
  };
}

/**
 * One stream per signed-in tab: each change invalidates the queries it concerns, so the
 * pages showing them read them again; listeners (the record page) hear of it too. After a
 * reconnect everything is read again, since changes made meanwhile were not sent.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    const invalidate = invalidator(queryClient);
    let attempt = 0;
    let everConnected = false;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        abort.signal.addEventListener('abort', () => clearTimeout(timer));
      });

    const follow = async () => {
      const token = tokenStore.get();
      if (!token) return;
      const response = await fetch('/api/v1/stream', {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
        credentials: 'omit',
        signal: abort.signal,
      });
      if (response.status === 401) {
        signalUnauthenticated();
        return;
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        return;
      }
      await readEventStream(response.body, ({ event, data }) => {
        if (event === 'ready') {
          attempt = 0;
          setConnected(true);
          // Changes made while there was no stream were not sent: read everything again.
          if (everConnected) void queryClient.invalidateQueries();
          everConnected = true;
        } else if (event === 'change') {
          const change = JSON.parse(data) as LiveChange;
          invalidate.changed(change);
          for (const listener of listeners.current) listener(change);
        }
      });
    };

    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          await follow();
        } catch {
          // A dropped connection or an abort: reconnect below, unless aborted.
        }
        setConnected(false);
        if (abort.signal.aborted || !tokenStore.get()) return;
        await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
        attempt++;
      }
    };
    void run();
    return () => {
      abort.abort();
      invalidate.stop();
    };
  }, [queryClient]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useMemo<LiveUpdates>(() => ({ connected, subscribe }), [connected, subscribe]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** Calls `listener` for every change this tab hears of, while the component is mounted. */
export function useLiveChanges(listener: Listener): void {
  const live = useContext(LiveContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => live?.subscribe((change) => latest.current(change)), [live]);
}
