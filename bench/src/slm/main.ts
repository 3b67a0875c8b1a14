import { mkdirSync, writeFileSync } from 'node:fs';
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
 * engine's memory and CPU while idle with them, then breach lateness while thousands fall
 * due per minute. Timers are inserted straight into the database in bulk; the engine is
 * the real slm process. Lateness is measured twice: when the engine recorded the breach
 * (`breached_at - due_at`) and when the breach event reached Kafka (record timestamp - due).
 */

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../../..');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(REPO_ROOT, '.local', 'bench', RUN_ID);

const settings = {
  timers: numberSetting('BENCH_SLM_TIMERS', 1_000_000),
  duePerMinute: numberSetting('BENCH_SLM_DUE_PER_MINUTE', 6000),
  windowSeconds: numberSetting('BENCH_SLM_WINDOW_S', 120),
  idleSeconds: numberSetting('BENCH_SLM_IDLE_S', 30),
  insertChunk: numberSetting('BENCH_SLM_INSERT_CHUNK', 100_000),
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

/** Collects breach events from now on: the Kafka record timestamp of each, by timer id. */
async function watchBreaches(kafka: Kafka, groupId: string) {
  const arrivals = new Map<string, { dueAt: number; arrivedAt: number }>();
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
      arrivals.set(timer.id, {
        dueAt: Date.parse(timer.dueAt ?? ''),
        arrivedAt: Number(message.timestamp),
      });
    },
  });
  await groupJoined;
  return { arrivals, stop: () => consumer.disconnect() };
}

function describe(values: Distribution): string {
  return `p50 ${round(values.p50, 0)} ms, p99 ${round(values.p99, 0)} ms, max ${round(values.max, 0)} ms (${values.count})`;
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
  let slm: BenchService | undefined;
  try {
    const insertStart = Date.now();
    // The background: timers due from an hour on, over thirty days.
    const hour = Date.now() + 3_600_000;
    await insertTimers(pool, background, new Date(hour), new Date(hour + 30 * 86_400_000));
    await pool.query('ANALYZE slm.sla_timers');
    const insertSeconds = (Date.now() - insertStart) / 1000;
    process.stdout.write(
      `inserted ${background} background timers in ${round(insertSeconds, 1)} s\n`,
    );

    slm = BenchService.spawn(
      REPO_ROOT,
      'slm',
      await freePort(),
      {
        DATABASE_URL: required('BENCH_DATABASE_URL'),
        KAFKA_BROKERS: brokers,
        KAFKA_CONSUMER_GROUP_PREFIX: groupPrefix,
        KAFKA_CONSUMER_START: 'latest',
        ITSM_INTERNAL_TOKEN_SECRET: required('ITSM_INTERNAL_TOKEN_SECRET'),
        LOG_LEVEL: 'warn',
      },
      LOG_DIR,
      process.env.BENCH_PID_FILE,
    );
    await slm.waitUntilReady();

    // Idle: a million timers, none due.
    const idleCpu = new CpuAccount({ slm: slm.pid });
    const idleRss = new RssSampler({ slm: slm.pid });
    idleCpu.start();
    idleRss.start();
    await sleep(settings.idleSeconds * 1000);
    const idle = { cpu: idleCpu.stop(), cpuOtherTop: idleCpu.topOther, peakRssMiB: idleRss.stop() };
    process.stdout.write(`idle with ${background} timers: ${JSON.stringify(idle)}\n`);

    // The window: `duePerMinute` timers fall due per minute, starting shortly.
    const watcher = await watchBreaches(kafka, `${groupPrefix}.bench-slm-watch`);
    const firstDue = new Date(Date.now() + 15_000);
    const lastDue = new Date(firstDue.getTime() + settings.windowSeconds * 1000);
    await insertTimers(pool, windowed, firstDue, lastDue);
    const busyCpu = new CpuAccount({ slm: slm.pid });
    const busyRss = new RssSampler({ slm: slm.pid });
    busyCpu.start();
    busyRss.start();
    const deadline = lastDue.getTime() + 120_000;
    while (watcher.arrivals.size < windowed && Date.now() < deadline) await sleep(1000);
    const busy = { cpu: busyCpu.stop(), cpuOtherTop: busyCpu.topOther, peakRssMiB: busyRss.stop() };
    await watcher.stop();

    const fired = await pool.query<{ lateness: number }>(
      `SELECT extract(epoch FROM breached_at - due_at) * 1000 AS lateness
         FROM slm.sla_timers WHERE state = 'breached' AND due_at >= $1`,
      [firstDue],
    );
    const engineLateness = distribution(fired.rows.map((row) => Number(row.lateness)));
    const kafkaLateness = distribution(
      [...watcher.arrivals.values()].map((a) => a.arrivedAt - a.dueAt),
    );
    const breachedEarly = await pool.query<{ count: string }>(
      `SELECT count(*) FROM slm.sla_timers WHERE state = 'breached' AND due_at < $1`,
      [firstDue],
    );
    const results = {
      runId: RUN_ID,
      settings,
      timers: background + windowed,
      insertSeconds: round(insertSeconds, 1),
      idle,
      window: { timers: windowed, busy, breachesSeenOnKafka: watcher.arrivals.size },
      breachLateness: { engine: engineLateness, kafka: kafkaLateness },
      /** Background timers are due an hour on at the earliest: none may have fired. */
      backgroundBreached: Number(breachedEarly.rows[0]?.count ?? 0),
    };
    process.stdout.write(
      [
        `timers: ${results.timers} (window: ${windowed} due over ${settings.windowSeconds} s, ${settings.duePerMinute}/min)`,
        `idle slm: CPU ${idle.cpu.slm} cores (PostgreSQL ${idle.cpu.postgres}, rest of the machine ${idle.cpu.other}), peak RSS ${idle.peakRssMiB.slm} MiB`,
        `window slm: CPU ${busy.cpu.slm} cores (PostgreSQL ${busy.cpu.postgres}, rest of the machine ${busy.cpu.other}), peak RSS ${busy.peakRssMiB.slm} MiB`,
        `background timers breached (must be 0): ${results.backgroundBreached}`,
        `breach lateness, engine (breached_at - due_at): ${describe(engineLateness)}`,
        `breach lateness, on Kafka (record timestamp - due_at): ${describe(kafkaLateness)}`,
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
