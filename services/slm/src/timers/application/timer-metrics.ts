import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '@itsm/observability';

/** Warnings and breaches the scheduler fired, by kind. */
export const timerFirings = new Counter({
  name: 'itsm_sla_timer_firings_total',
  help: 'SLA warnings and breaches fired by the scheduler, by kind.',
  labelNames: ['kind'],
  registers: [metricsRegistry],
});

/** How long after its instant a warning or breach was fired: the engine's lateness. */
export const firingLateness = new Histogram({
  name: 'itsm_sla_timer_firing_lateness_seconds',
  help: 'Time from a warning or due instant to the scheduler firing it.',
  labelNames: ['kind'],
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 30, 300],
  registers: [metricsRegistry],
});

/** How far the applied incident and request events trailed the clock when timers were due. */
export const eventWatermarkLag = new Gauge({
  name: 'itsm_sla_scheduler_event_watermark_lag_seconds',
  help: 'At the last round with due timers: how far behind the clock the applied incident and request events were.',
  registers: [metricsRegistry],
});
