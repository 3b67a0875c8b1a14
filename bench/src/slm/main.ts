import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { SlaEventTypes, Topics, fromKafkaRecord, type SlaTimerEventV1 } from '@itsm/contracts';
import { CpuAccount, RssSampler } from '../proc';
import { numberSetting, required } from '../settings';
import { BenchService, freePort } from '../services';
import { distribution, round, type Distribution } from '../stats';

/**
 * The SLA timer engine under a million running timers (`npm run bench -- slm`): the
 * engine's memory and CPU while idle, first with a few timers and then (a fresh process)
 * with all of them, then breach lateness while thousands fall due per minute. Timers are
 * inserted straight into the database in bulk; the engine is the real slm process.
 * Lateness is measured twice: when the engine recorded the breach (`breached_at - due_at`)
 * and when the breach event reached Kafka (record timestamp - due). Every breach event of
 * the window is counted per timer, so a duplicate shows. A second window, on a fresh
 * process with `SLA_SCHEDULER_MAX_EVENT_WAIT_MS=0`, puts what waiting for the consumer
 * group's watermark costs side by side with not waiting.
 */

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../../..');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(REPO_ROOT, '.local', 'bench', RUN_ID);

const settings = {
  timers: numberSetting('BENCH_SLM_TIMERS', 1_000_000),
  duePerMinute: numberSetting('BENCH_SLM_DUE_PER_MINUTE', 6000),
  windowSeconds: numberSetting('BENCH_SLM_WINDOW_S', 120),
  idleSeconds: numberSetting('BENCH_SLM_IDLE_S', 30),
  smallTimers: numberSetting('BENCH_SLM_SMALL_TIMERS', 10_000),
  /** How long to keep listening after the last timer's first breach event, for duplicates. */
  lingerSeconds: numberSetting('BENCH_SLM_LINGER_S', 10),
  insertChunk: numberSetting('BENCH_SLM_INSERT_CHUNK', 100_000),
  /** 1: a second window on a process that fires without waiting for the consumer group's watermark, for comparison. */
  compareNoEventWait: numberSetting('BENCH_SLM_COMPARE_NO_EVENT_WAIT', 1),
};

/** The built-in 24x7 calendar (seeded by the slm migration). */
const CALENDAR_24X7 = '0b8f0a52-247a-4c57-9d3e-000000024007';
const SLA_ID = '5e1a0000-0000-4000-8000-000000000001';
const TARGET_MS = 4 * 3_600_000;

/**
 * Inserts `count` running timers with due times spread evenly over [firstDue, lastDue),
 * in chunks, each with its own random record. No warnings are left to fire: only breaches.
 */
async function insertTimers(
  pool: Pool,
  count: number,
  firstDue: Date,
  lastDue: Date,
): Promise<void> {
  const spanMs = lastDue.getTime() - firstDue.getTime();
  for (let offset = 0; offset < count; offset += settings.insertChunk) {
    const size = Math.min(settings.insertChunk, count - offset);
    await pool.query(
      `INSERT INTO slm.sla_timers
         (id, record_id, record_type, record_number, sla_id, sla_version, sla_name, kind, target, state,
          calendar_id, duration_ms, warning_thresholds, warnings_fired, started_at, elapsed_ms,
          running_since, due_at, next_fire_at, updated_at)
       SELECT gen_random_uuid(), gen_random_uuid(), 'incident', 'INC' || lpad((($1::bigint + i) % 10000000)::text, 7, '0'),
              $2, 1, 'bench P1 resolution', 'sla', 'resolution', 'running',
              $3, $4::bigint, '{}', 0, due - make_interval(secs => $4::bigint / 1000.0), 0,
              due - make_interval(secs => $4::bigint / 1000.0), due, due, now()
         FROM (SELECT i, $5::timestamptz + make_interval(secs => ($1::bigint + i) * $6::float8 / $7::float8 / 1000.0) AS due
                 FROM generate_series(0, $8::int - 1) AS i) AS spread`,
      [offset, SLA_ID, CALENDAR_24X7, TARGET_MS, firstDue, spanMs, count, size],
    );
  }
}

interface BreachArrival {
  dueAt: number;
  /** Kafka record timestamp of the first breach event of the timer. */
  arrivedAt: number;
  /** Breach events seen for the timer: 1 unless one was emitted twice. */
  events: number;
}

/** Collects breach events from now on: the first arrival and the number of events, by timer id. */
async function watchBreaches(kafka: Kafka, groupId: string) {
  const arrivals = new Map<string, BreachArrival>();
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.slaEvents, fromBeginning: false });
  let joined!: () => void;
  const groupJoined = new Promise<void>((done) => (joined = done));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = fromKafkaRecord(message);
      if (event.type !== SlaEventTypes.breached) return;
      const { timer } = event.data as SlaTimerEventV1;
      // The topic is shared: only this benchmark's timers count.
      if (timer.slaId !== SLA_ID) return;
      const seen = arrivals.get(timer.id);
      if (seen) seen.events += 1;
      else
        arrivals.set(timer.id, {
          dueAt: Date.parse(timer.dueAt ?? ''),
          arrivedAt: Number(message.timestamp),
          events: 1,
        });
    },
  });
  await groupJoined;
  return { arrivals, stop: () => consumer.disconnect() };
}

/** Starts the slm process on the bench database and waits until it is ready. */
async function startSlm(
  brokers: string,
  groupPrefix: string,
  env: Record<string, string> = {},
): Promise<BenchService> {
  const slm = BenchService.spawn(
    REPO_ROOT,
    'slm',
    await freePort(),
    {
      DATABASE_URL: required('BENCH_DATABASE_URL'),
      KAFKA_BROKERS: brokers,
      KAFKA_CONSUMER_GROUP_PREFIX: groupPrefix,
      KAFKA_CONSUMER_START: 'latest',
      ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: required(
        'ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS',
      ),
      LOG_LEVEL: 'warn',
      ...env,
    },
    LOG_DIR,
    process.env.BENCH_PID_FILE,
  );
  await slm.waitUntilReady();
  return slm;
}

/** The slm process's CPU and peak RSS over `seconds` of doing nothing but waiting. */
async function measureIdle(slm: BenchService, timers: number) {
  const cpu = new CpuAccount({ slm: slm.pid });
  const rss = new RssSampler({ slm: slm.pid });
  const loadBefore = loadavg()[0] ?? 0;
  cpu.start();
  rss.start();
  await sleep(settings.idleSeconds * 1000);
  const idle = {
    timers,
    cpu: cpu.stop(),
    cpuOtherTop: cpu.topOther,
    peakRssMiB: rss.stop(),
    loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? 0, 2) },
  };
  process.stdout.write(`idle with ${timers} timers: ${JSON.stringify(idle)}\n`);
  return idle;
}

async function runningTimers(pool: Pool): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*) FROM slm.sla_timers WHERE state = 'running'`,
  );
  return Number(result.rows[0]?.count ?? 0);
}

function describe(values: Distribution): string {
  return `p50 ${round(values.p50, 0)} ms, p99 ${round(values.p99, 0)} ms, max ${round(values.max, 0)} ms (${values.count})`;
}

type Watcher = Awaited<ReturnType<typeof watchBreaches>>;

/**
 * One window: from now until every timer due in [firstDue, lastDue) has its breach event
 * on Kafka (or two minutes after the last due time), the slm process's CPU and memory,
 * then the breach lateness of those timers, in the database and on Kafka.
 */
async function measureWindow(
  pool: Pool,
  slm: BenchService,
  watcher: Watcher,
  firstDue: Date,
  lastDue: Date,
  timers: number,
) {
  const busyCpu = new CpuAccount({ slm: slm.pid });
  const busyRss = new RssSampler({ slm: slm.pid });
  const loadBefore = loadavg()[0] ?? 0;
  busyCpu.start();
  busyRss.start();
  const deadline = lastDue.getTime() + 120_000;
  while (watcher.arrivals.size < timers && Date.now() < deadline) await sleep(1000);
  const busy = {
    cpu: busyCpu.stop(),
    cpuOtherTop: busyCpu.topOther,
    peakRssMiB: busyRss.stop(),
    loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? 0, 2) },
  };
  // A second event for a timer would come after its first: keep listening a little.
  await sleep(settings.lingerSeconds * 1000);
  await watcher.stop();

  const fired = await pool.query<{ lateness: number }>(
    `SELECT extract(epoch FROM breached_at - due_at) * 1000 AS lateness
       FROM slm.sla_timers WHERE state = 'breached' AND due_at >= $1 AND due_at < $2`,
    [firstDue, lastDue],
  );
  const engine = distribution(fired.rows.map((row) => Number(row.lateness)));
  // Whether the engine kept up: lateness by when the timers were due, in 20 s slices of
  // the window (a lateness that rises slice by slice is a backlog growing).
  const slices = await pool.query<{ slice: number; count: number; p50: number; max: number }>(
    `SELECT floor(extract(epoch FROM due_at - $1::timestamptz) / 20)::int * 20 AS slice,
            count(*)::int AS count,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM breached_at - due_at) * 1000) AS p50,
            max(extract(epoch FROM breached_at - due_at) * 1000) AS max
       FROM slm.sla_timers WHERE state = 'breached' AND due_at >= $1 AND due_at < $2
      GROUP BY 1 ORDER BY 1`,
    [firstDue, lastDue],
  );
  const engineBySlice = slices.rows.map((row) => ({
    dueFromSecond: row.slice,
    count: row.count,
    p50Ms: round(Number(row.p50), 0),
    maxMs: round(Number(row.max), 0),
  }));
  const arrivals = [...watcher.arrivals.values()];
  const breachEvents = arrivals.reduce((sum, arrival) => sum + arrival.events, 0);
  return {
    timers,
    busy,
    breachedInDatabase: fired.rows.length,
    /** Distinct timers with a breach event on Kafka. */
    breachesSeenOnKafka: watcher.arrivals.size,
    breachEvents,
    /** Events beyond the first per timer: must be 0. */
    duplicateBreachEvents: breachEvents - watcher.arrivals.size,
    timersWithDuplicates: arrivals.filter((arrival) => arrival.events > 1).length,
    lateness: {
      engine,
      kafka: distribution(arrivals.map((arrival) => arrival.arrivedAt - arrival.dueAt)),
      engineBySlice,
    },
  };
}

type WindowResult = Awaited<ReturnType<typeof measureWindow>>;

function windowLines(label: string, window: WindowResult): string[] {
  const { busy, lateness } = window;
  return [
    `window, ${label}: slm CPU ${busy.cpu.slm} cores (PostgreSQL ${busy.cpu.postgres}, rest of the machine ${busy.cpu.other}, idle ${busy.cpu.idle}), peak RSS ${busy.peakRssMiB.slm} MiB, load average ${busy.loadAverage1m.before} -> ${busy.loadAverage1m.after}`,
    `window, ${label}: ${window.breachedInDatabase} breached in the database, ${window.breachesSeenOnKafka} timers with a breach event on Kafka, ${window.breachEvents} breach events`,
    `window, ${label}: duplicate breach events (must be 0): ${window.duplicateBreachEvents} (${window.timersWithDuplicates} timers)`,
    `window, ${label}: breach lateness, engine (breached_at - due_at): ${describe(lateness.engine)}`,
    `window, ${label}: breach lateness, on Kafka (record timestamp - due_at): ${describe(lateness.kafka)}`,
    `window, ${label}: engine lateness by due time (s into the window: p50/max ms): ${lateness.engineBySlice
      .map((slice) => `${slice.dueFromSecond}: ${slice.p50Ms}/${slice.maxMs}`)
      .join(', ')}`,
    `window, ${label}: busiest other processes: ${busy.cpuOtherTop.join(', ') || 'none'}`,
  ];
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: required('BENCH_DATABASE_URL'), max: 4 });
  const brokers = required('KAFKA_BROKERS');
  const groupPrefix = process.env.BENCH_GROUP_PREFIX ?? `itsm-bench-${RUN_ID}`;
  const kafka = new Kafka({
    clientId: 'bench-slm',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const windowed = Math.round((settings.duePerMinute * settings.windowSeconds) / 60);
  const background = Math.max(0, settings.timers - windowed);
  const small = Math.min(settings.smallTimers, background);
  let slm: BenchService | undefined;
  try {
    // The background: timers due from an hour on, over thirty days; first a small share
    // of them for the idle measurement at a small size.
    const hour = Date.now() + 3_600_000;
    const backgroundSpan = [new Date(hour), new Date(hour + 30 * 86_400_000)] as const;
    await insertTimers(pool, small, ...backgroundSpan);
    await pool.query('ANALYZE slm.sla_timers');
    slm = await startSlm(brokers, groupPrefix);
    const idleSmall = await measureIdle(slm, await runningTimers(pool));
    await slm.stop();
    slm = undefined;

    const insertStart = Date.now();
    await insertTimers(pool, background - small, ...backgroundSpan);
    await pool.query('ANALYZE slm.sla_timers');
    const insertSeconds = (Date.now() - insertStart) / 1000;
    process.stdout.write(
      `inserted ${background - small} more background timers in ${round(insertSeconds, 1)} s\n`,
    );

    // A fresh process, so that the large size's figures carry nothing over from the small's.
    slm = await startSlm(brokers, groupPrefix);
    // The window's timers are in the table before the idle measurement (all timers
    // present), due only after it: `duePerMinute` fall due per minute.
    const watcher = await watchBreaches(kafka, `${groupPrefix}.bench-slm-watch`);
    const firstDue = new Date(Date.now() + (settings.idleSeconds + 20) * 1000);
    const lastDue = new Date(firstDue.getTime() + settings.windowSeconds * 1000);
    await insertTimers(pool, windowed, firstDue, lastDue);
    const idleFull = await measureIdle(slm, await runningTimers(pool));
    const breachedDuringIdle = watcher.arrivals.size;
    const withEventWait = await measureWindow(pool, slm, watcher, firstDue, lastDue, windowed);
    await slm.stop();
    slm = undefined;

    // The same window again on a fresh process that fires without waiting for the
    // consumer group's watermark: what the wait costs, side by side on the same machine.
    let withoutEventWait: WindowResult | undefined;
    if (settings.compareNoEventWait) {
      slm = await startSlm(brokers, groupPrefix, { SLA_SCHEDULER_MAX_EVENT_WAIT_MS: '0' });
      const noWaitWatcher = await watchBreaches(kafka, `${groupPrefix}.bench-slm-watch-no-wait`);
      const noWaitFirstDue = new Date(Date.now() + 20_000);
      const noWaitLastDue = new Date(noWaitFirstDue.getTime() + settings.windowSeconds * 1000);
      await insertTimers(pool, windowed, noWaitFirstDue, noWaitLastDue);
      withoutEventWait = await measureWindow(
        pool,
        slm,
        noWaitWatcher,
        noWaitFirstDue,
        noWaitLastDue,
        windowed,
      );
    }

    const breachedEarly = await pool.query<{ count: string }>(
      `SELECT count(*) FROM slm.sla_timers WHERE state = 'breached' AND due_at < $1`,
      [firstDue],
    );
    const results = {
      runId: RUN_ID,
      settings,
      timers: background + windowed,
      insertSeconds: round(insertSeconds, 1),
      idle: { small: idleSmall, full: idleFull },
      /** Breaches before the window's first due time, during the idle measurement: must be 0. */
      breachedDuringIdle,
      windows: { withEventWait, withoutEventWait },
      /** Background timers are due an hour on at the earliest: none may have fired. */
      backgroundBreached: Number(breachedEarly.rows[0]?.count ?? 0),
    };
    const idleLine = (idle: typeof idleFull) =>
      `idle slm with ${idle.timers} running timers: CPU ${idle.cpu.slm} cores (PostgreSQL ${idle.cpu.postgres}, rest of the machine ${idle.cpu.other}, idle ${idle.cpu.idle}), peak RSS ${idle.peakRssMiB.slm} MiB, load average ${idle.loadAverage1m.before} -> ${idle.loadAverage1m.after}`;
    const side = (pick: (window: WindowResult) => string) =>
      [withEventWait, withoutEventWait]
        .flatMap((window) => (window ? [pick(window)] : []))
        .join(' | ');
    process.stdout.write(
      [
        `timers: ${results.timers} (window: ${windowed} due over ${settings.windowSeconds} s, ${settings.duePerMinute}/min)`,
        `bulk insert of ${background - small} background timers: ${results.insertSeconds} s`,
        idleLine(idleSmall),
        idleLine(idleFull),
        `breached during the idle measurement (must be 0): ${breachedDuringIdle}`,
        `background timers breached (must be 0): ${results.backgroundBreached}`,
        ...windowLines('waiting for the event watermark (default)', withEventWait),
        ...(withoutEventWait
          ? windowLines('SLA_SCHEDULER_MAX_EVENT_WAIT_MS=0', withoutEventWait)
          : []),
        `side by side (waiting | not waiting): engine lateness ${side((window) => describe(window.lateness.engine))}`,
        `side by side (waiting | not waiting): on Kafka ${side((window) => describe(window.lateness.kafka))}`,
        `side by side (waiting | not waiting): slm CPU ${side((window) => `${window.busy.cpu.slm} cores`)}`,
        '',
      ].join('\n'),
    );
    const directory = join(REPO_ROOT, 'bench', 'results');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `${RUN_ID}.json`), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await slm?.stop();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
