import { type CDPSession, type Page } from 'playwright-core';
import { type ResourceTiming } from './measures';

/**
 * What the benchmark installs in every page before the console's own scripts run
 * (`BrowserContext.addInitScript`), as plain JavaScript: the benchmark compiles without the
 * DOM's types. It keeps, in `window.__consoleBench`:
 *
 * - `marks`: when each watched condition first held, as `performance.now()` (ms from the
 *   navigation's start) in the animation frame after the DOM change that made it true, so
 *   about when it is painted. The conditions: `rows` (the queue's table shows a record's
 *   link), `signIn` (the sign-in form), `record` (an `h1` starting with the text `arm`
 *   gave it: a record page's "INC0001234 · title"). A MutationObserver checks them on
 *   every change; `arm(name, text)` forgets a mark so that it is taken again.
 * - `clickAt`: the timestamp of the last click (capture phase, before the console's Link
 *   handles it).
 * - `inFlight`, `lastApiAt`: the console's API calls (`/api/v1/...` but the live-updates
 *   stream) not answered yet, counted by wrapping `fetch`, an answer being in when a clone
 *   of its body has been read; and when the last started or was answered.
 * - `when(name, timeoutMs)`, `quiet(quietMs, timeoutMs)`: promises of a mark, and of the
 *   time the last API call was answered once none has been in flight for `quietMs`.
 */
export const INSTRUMENT = `(() => {
  const state = { marks: {}, expected: {}, clickAt: null, inFlight: 0, lastApiAt: 0 };
  window.__consoleBench = state;
  performance.setResourceTimingBufferSize(20000);
  const conditions = {
    rows: () => document.querySelector('tbody tr a[href^="/incidents/"]') !== null,
    signIn: () => document.querySelector('input[name=password]') !== null,
    record: () => {
      const expected = state.expected.record;
      if (!expected) return false;
      for (const heading of document.querySelectorAll('h1'))
        if ((heading.textContent || '').startsWith(expected)) return true;
      return false;
    },
  };
  const pending = new Set();
  const check = () => {
    for (const name of Object.keys(conditions)) {
      if (name in state.marks || pending.has(name) || !conditions[name]()) continue;
      pending.add(name);
      requestAnimationFrame(() => {
        pending.delete(name);
        if (!(name in state.marks)) state.marks[name] = performance.now();
      });
    }
  };
  const until = (test, timeoutMs, what) => new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = () => {
      const value = test();
      if (value !== undefined) resolve(value);
      else if (performance.now() - started > timeoutMs) reject(new Error(what + ' after ' + timeoutMs + ' ms'));
      else setTimeout(poll, 10);
    };
    poll();
  });
  state.when = (name, timeoutMs) => until(() => state.marks[name], timeoutMs, 'no ' + name);
  state.quiet = (quietMs, timeoutMs) => until(
    () => (state.inFlight === 0 && performance.now() - state.lastApiAt >= quietMs ? state.lastApiAt : undefined),
    timeoutMs, state.inFlight + ' API calls still unanswered');
  state.arm = (name, expected) => {
    delete state.marks[name];
    state.expected[name] = expected;
    check();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener('click', (event) => { state.clickAt = event.timeStamp; }, true);
  const isApi = (url) => {
    try {
      const path = new URL(url, location.href).pathname;
      return path.startsWith('/api/v1/') && path !== '/api/v1/stream';
    } catch {
      return false;
    }
  };
  const originalFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const answer = originalFetch.call(this, input, init);
    if (!isApi(url)) return answer;
    state.inFlight += 1;
    state.lastApiAt = performance.now();
    const done = () => {
      state.inFlight -= 1;
      state.lastApiAt = performance.now();
    };
    answer.then((response) => response.clone().arrayBuffer().then(done, done), done);
    return answer;
  };
})();`;

const STATE = 'window.__consoleBench';

/**
 * Evaluates a call of one of the page's helpers and awaits its promise; again if the page's
 * document was too new to have them yet. (Expressions evaluated over the DevTools protocol:
 * the console's content security policy forbids the `eval` that Playwright's
 * `waitForFunction` would use.)
 */
async function inPage<T>(page: Page, call: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await page.evaluate<T | null>(`${STATE} === undefined ? null : ${STATE}.${call}`);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`the page has no ${STATE} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the condition's mark is taken; its time (ms from the navigation's start). */
export function markOf(page: Page, name: string, timeoutMs: number): Promise<number> {
  return inPage<number>(page, `when(${JSON.stringify(name)}, ${timeoutMs})`, timeoutMs);
}

/** Forgets a mark, to take it again (with the text a `record` heading must start with). */
export async function arm(page: Page, name: string, expected?: string): Promise<void> {
  await page.evaluate(`${STATE}.arm(${JSON.stringify(name)}, ${JSON.stringify(expected ?? '')})`);
}

/** The timestamp of the page's last click (ms from the navigation's start). */
export async function clickTime(page: Page): Promise<number> {
  return page.evaluate<number>(`${STATE}.clickAt`);
}

/**
 * Waits until no API call of the console is in flight and none started or ended for
 * `quietMs`; resolves to when the last one was answered (ms from the navigation's start).
 */
export function apiQuiet(page: Page, quietMs: number, timeoutMs: number): Promise<number> {
  return inPage<number>(page, `quiet(${quietMs}, ${timeoutMs})`, timeoutMs);
}

/** The page's Navigation Timing entry. */
export interface NavigationTiming {
  responseEnd: number;
  domContentLoadedEventEnd: number;
  loadEventEnd: number;
}

/** The navigation entry and every resource fetched from `since` on (ms from the navigation's start). */
export async function timings(
  page: Page,
  since = 0,
): Promise<{ navigation: NavigationTiming & ResourceTiming; resources: ResourceTiming[] }> {
  return page.evaluate<{
    navigation: NavigationTiming & ResourceTiming;
    resources: ResourceTiming[];
  }>(`(() => {
    const pick = (entry) => ({
      name: entry.name, initiatorType: entry.initiatorType, startTime: entry.startTime,
      responseEnd: entry.responseEnd, transferSize: entry.transferSize,
      encodedBodySize: entry.encodedBodySize, decodedBodySize: entry.decodedBodySize,
    });
    const navigation = performance.getEntriesByType('navigation')[0];
    return {
      navigation: { ...pick(navigation), domContentLoadedEventEnd: navigation.domContentLoadedEventEnd,
                    loadEventEnd: navigation.loadEventEnd },
      resources: performance.getEntriesByType('resource')
        .filter((entry) => entry.startTime >= ${since}).map(pick),
    };
  })()`);
}

/** The page's renderer main thread: busy, and of that running JavaScript, laying out, styling (ms). */
export interface MainThread {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

/** Chromium's own accounting of a page's main thread (the DevTools protocol's Performance domain). */
export class MainThreadClock {
  private constructor(private readonly session: CDPSession) {}

  static async attach(page: Page): Promise<MainThreadClock> {
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable');
    return new MainThreadClock(session);
  }

  /** Cumulative since the clock was attached (or since the tab's document last changed process). */
  async read(): Promise<MainThread> {
    const { metrics } = await this.session.send('Performance.getMetrics');
    const seconds = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
    return {
      taskMs: seconds('TaskDuration') * 1000,
      scriptMs: seconds('ScriptDuration') * 1000,
      layoutMs: seconds('LayoutDuration') * 1000,
      styleMs: seconds('RecalcStyleDuration') * 1000,
    };
  }
}

/** What the main thread did between two readings (the later alone when the counters restarted). */
export function mainThreadBetween(before: MainThread, after: MainThread): MainThread {
  const restarted = after.taskMs < before.taskMs;
  const delta = (key: keyof MainThread) =>
    Math.round((restarted ? after[key] : after[key] - before[key]) * 10) / 10;
  return {
    taskMs: delta('taskMs'),
    scriptMs: delta('scriptMs'),
    layoutMs: delta('layoutMs'),
    styleMs: delta('styleMs'),
  };
}
