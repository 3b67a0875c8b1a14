/**
 * The Grafana dashboards the platform ships (deploy/grafana/dashboards/*.json), built here
 * so that the eight of them share their queries: `npm run dashboards` writes them, and
 * dashboards.spec.ts fails when a file differs from what this builds. Every query reads
 * only metrics the services serve (served-metrics.integration-spec.ts checks it).
 */

export const SERVICES = ['gateway', 'incident', 'problem', 'change', 'cmdb', 'slm', 'reporting'];
export type Service = (typeof SERVICES)[number];

/** Services with a Kafka consumer group (the gateway's live feed commits no offsets: it has no lag). */
const CONSUMERS: readonly Service[] = ['incident', 'problem', 'change', 'cmdb', 'slm', 'reporting'];
/** Services that read another synchronously (ADR 12): change reads the CMDB. */
const SERVICE_CLIENTS: readonly Service[] = ['change'];

const SCHEMA_VERSION = 39;
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
/** Every query's selector: the namespace and job variables. */
const S = 'namespace=~"$namespace",job=~"$job"';
/** API requests, health probes aside (a readiness 503 is no failed request). */
const API = `${S},route!~"/health/.*"`;
/** Durations: without the live update stream, whose requests last as long as a tab stays open. */
const API_DURATION = `${S},route!~"/health/.*|/api/v1/stream"`;
const RATE = '[$__rate_interval]';

interface Target {
  expr: string;
  legend: string;
}

interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: Target[];
  /** Stacked bars for counts that add up; lines otherwise. */
  stacked?: boolean;
}

type Section = [title: string, panels: PanelSpec[]];

const requests = (by: string, legend: string): PanelSpec => ({
  title: 'Request rate',
  description: 'API requests served per second (health probes aside), by status code.',
  unit: 'reqps',
  stacked: true,
  targets: [
    {
      expr: `sum by (${by}) (rate(http_server_request_duration_seconds_count{${API}}${RATE}))`,
      legend,
    },
  ],
});

const errors = (by: string, legend: string): PanelSpec => ({
  title: 'Error rate (5xx)',
  description:
    'Share of API requests answered with a server error. Alert ItsmHighErrorRate above 5 % for 10 minutes.',
  unit: 'percentunit',
  targets: [
    {
      expr: `sum by (${by}) (rate(http_server_request_duration_seconds_count{${API},status_code=~"5.."}${RATE})) / sum by (${by}) (rate(http_server_request_duration_seconds_count{${API}}${RATE}))`,
      legend,
    },
  ],
});

const latency = (by: string, legend: string): PanelSpec => ({
  title: 'Request duration p50 / p99',
  description:
    'Median and 99th percentile of API request duration. Alert ItsmHighLatency when p99 stays above 1 s.',
  unit: 's',
  targets: ['0.5', '0.99'].map((quantile) => ({
    expr: `histogram_quantile(${quantile}, sum by (${by}, le) (rate(http_server_request_duration_seconds_bucket{${API_DURATION}}${RATE})))`,
    legend: `${legend} p${Number(quantile) * 100}`,
  })),
});

const slowRoutes: PanelSpec = {
  title: 'Request duration p99 by route',
  description: '99th percentile of request duration per route pattern.',
  unit: 's',
  targets: [
    {
      expr: `histogram_quantile(0.99, sum by (route, le) (rate(http_server_request_duration_seconds_bucket{${API_DURATION}}${RATE})))`,
      legend: '{{route}}',
    },
  ],
};

const routes: PanelSpec = {
  title: 'Request rate by route',
  description: 'API requests served per second, by method and route pattern.',
  unit: 'reqps',
  stacked: true,
  targets: [
    {
      expr: `sum by (method, route) (rate(http_server_request_duration_seconds_count{${API}}${RATE}))`,
      legend: '{{method}} {{route}}',
    },
  ],
};

const readiness = (by: string, legend: string): PanelSpec => ({
  title: 'Replicas scraped and ready',
  description:
    'Replicas Prometheus reaches (up) and replicas whose readiness check passes (itsm_ready: not shutting down, PostgreSQL and Kafka answer). Alerts ItsmServiceDown, ItsmServiceNotReady.',
  unit: 'short',
  targets: [
    { expr: `sum by (${by}) (up{${S}})`, legend: `${legend} up` },
    { expr: `sum by (${by}) (itsm_ready{${S}})`, legend: `${legend} ready` },
  ],
});

const memory: PanelSpec = {
  title: 'Memory (resident)',
  description: 'Resident memory of each replica, and its V8 heap in use.',
  unit: 'bytes',
  targets: [
    { expr: `process_resident_memory_bytes{${S}}`, legend: '{{job}} {{instance}} rss' },
    {
      expr: `sum by (job, instance) (nodejs_heap_size_used_bytes{${S}})`,
      legend: '{{job}} {{instance}} heap',
    },
  ],
};

const cpu: PanelSpec = {
  title: 'CPU',
  description: 'CPU time used per second by each replica (1 = one core).',
  unit: 'short',
  targets: [
    { expr: `rate(process_cpu_seconds_total{${S}}${RATE})`, legend: '{{job}} {{instance}}' },
  ],
};

const eventLoop: PanelSpec = {
  title: 'Event loop delay p99',
  description:
    'How late the Node.js event loop runs its callbacks: above tens of milliseconds every request waits.',
  unit: 's',
  targets: [{ expr: `nodejs_eventloop_lag_p99_seconds{${S}}`, legend: '{{job}} {{instance}}' }],
};

const outbox = (by: string, legend: string): PanelSpec => ({
  title: 'Outbox pending / parked',
  description:
    'Events written and not yet published to Kafka, and those Kafka refused for good (parked, waiting for an operator: GET /api/v1/operations/outbox). Alerts ItsmOutboxBacklogGrowing, ItsmOutboxEventsParked.',
  unit: 'short',
  targets: [
    { expr: `max by (${by}) (itsm_outbox_pending_events{${S}})`, legend: `${legend} pending` },
    { expr: `max by (${by}) (itsm_outbox_parked_events{${S}})`, legend: `${legend} parked` },
  ],
});

const relay = (by: string, legend: string): PanelSpec => ({
  title: 'Outbox: oldest publishable event’s age',
  description:
    'How long the oldest event the relay could publish has waited; grows while the relay does not publish. Alert ItsmOutboxRelayStalled above 5 minutes.',
  unit: 's',
  targets: [{ expr: `max by (${by}) (itsm_outbox_oldest_publishable_age_seconds{${S}})`, legend }],
});

const lag = (by: string, legend: string): PanelSpec => ({
  title: 'Consumer lag',
  description:
    'Records on Kafka the consumer group has not consumed yet (every replica reports the same figure, hence max). Alert ItsmConsumerLagGrowing.',
  unit: 'short',
  targets: [
    {
      expr: `sum by (${by}) (max by (job, consumer_group, topic, partition) (itsm_kafka_consumer_lag_messages{${S}}))`,
      legend,
    },
  ],
});

const deadLetters = (by: string, legend: string): PanelSpec => ({
  title: 'Dead letters unsettled',
  description:
    'Events the consumer could not apply, open and held behind an open one, waiting for an operator (GET /api/v1/operations/dead-letters). Alert ItsmDeadLettersUnsettled.',
  unit: 'short',
  stacked: true,
  targets: [{ expr: `max by (${by}) (itsm_dead_letters_unsettled{${S}})`, legend }],
});

const slaTimers: PanelSpec = {
  title: 'SLA timers due soon and late',
  description:
    'Running timers due within the hour, and timers whose warning or breach instant has passed without the scheduler firing it. Alert ItsmSlaTimersLate.',
  unit: 'short',
  targets: [
    { expr: `max(itsm_sla_timers_due_soon{${S}})`, legend: 'due within the hour' },
    { expr: `max(itsm_sla_timers_late{${S}})`, legend: 'late (not fired)' },
  ],
};

const slaLateness: PanelSpec = {
  title: 'SLA scheduler lateness',
  description:
    'How long ago the oldest unfired warning or breach instant was, and the 99th percentile of how late fired ones were.',
  unit: 's',
  targets: [
    { expr: `max(itsm_sla_timers_late_oldest_seconds{${S}})`, legend: 'oldest not fired' },
    {
      expr: `histogram_quantile(0.99, sum by (kind, le) (rate(itsm_sla_timer_firing_lateness_seconds_bucket{${S}}${RATE})))`,
      legend: 'p99 fired late: {{kind}}',
    },
  ],
};

const slaFirings: PanelSpec = {
  title: 'SLA warnings and breaches fired',
  description: 'Warnings and breaches the scheduler fired per second, by kind.',
  unit: 'short',
  stacked: true,
  targets: [
    { expr: `sum by (kind) (rate(itsm_sla_timer_firings_total{${S}}${RATE}))`, legend: '{{kind}}' },
  ],
};

const slaWatermark: PanelSpec = {
  title: 'SLA scheduler: record events behind the clock',
  description:
    'At the last round with due timers: how far the applied incident and request events trailed the clock (the scheduler waits for them).',
  unit: 's',
  targets: [
    {
      expr: `max(itsm_sla_scheduler_event_watermark_lag_seconds{${S}})`,
      legend: 'event watermark lag',
    },
  ],
};

const liveStreams: PanelSpec = {
  title: 'Live update streams',
  description:
    'Live update streams (GET /api/v1/stream) open, per replica summed; and those ended or refused per second, by reason (slow: a client that stopped reading was dropped).',
  unit: 'short',
  targets: [
    { expr: `sum(itsm_gateway_live_streams{${S}})`, legend: 'open' },
    {
      expr: `sum by (reason) (rate(itsm_gateway_live_streams_ended_total{${S}}${RATE}))`,
      legend: 'ended: {{reason}}',
    },
    {
      expr: `sum by (reason) (rate(itsm_gateway_live_streams_refused_total{${S}}${RATE}))`,
      legend: 'refused: {{reason}}',
    },
  ],
};

const liveChanges: PanelSpec = {
  title: 'Live updates relayed',
  description:
    'Incident topic events the live feed read per second, by outcome, and the changes written to streams (one per stream told).',
  unit: 'short',
  targets: [
    {
      expr: `sum by (outcome) (rate(itsm_gateway_live_events_consumed_total{${S}}${RATE}))`,
      legend: 'events {{outcome}}',
    },
    {
      expr: `sum(rate(itsm_gateway_live_changes_sent_total{${S}}${RATE}))`,
      legend: 'changes sent',
    },
  ],
};

const serviceCalls: PanelSpec = {
  title: 'Calls to other services p99, by outcome',
  description:
    'Synchronous reads of another service (ADR 12): 99th percentile duration and rate, by service called and outcome.',
  unit: 's',
  targets: [
    {
      expr: `histogram_quantile(0.99, sum by (callee, outcome, le) (rate(itsm_service_client_request_duration_seconds_bucket{${S}}${RATE})))`,
      legend: '{{callee}} {{outcome}}',
    },
  ],
};

const retention: PanelSpec = {
  title: 'Retention: rows deleted',
  description: 'Rows the retention sweeper removed per second, by rule.',
  unit: 'short',
  stacked: true,
  targets: [
    {
      expr: `sum by (rule) (rate(itsm_retention_deleted_rows_total{${S}}${RATE}))`,
      legend: '{{rule}}',
    },
  ],
};

function platformSections(): Section[] {
  const byJob = ['job', '{{job}}'] as const;
  return [
    [
      'Traffic',
      [
        requests('job, status_code', '{{job}} {{status_code}}'),
        errors(...byJob),
        latency(...byJob),
      ],
    ],
    ['Health', [readiness(...byJob), memory, cpu, eventLoop]],
    [
      'Event flow',
      [
        outbox(...byJob),
        relay(...byJob),
        lag('job, consumer_group', '{{consumer_group}}'),
        deadLetters('job, consumer_group, status', '{{consumer_group}} {{status}}'),
      ],
    ],
    ['SLA timers', [slaTimers, slaLateness]],
  ];
}

function serviceSections(service: Service): Section[] {
  const flow: PanelSpec[] = [outbox('job', 'outbox'), relay('job', 'oldest publishable')];
  if (CONSUMERS.includes(service))
    flow.push(
      lag('topic, partition', '{{topic}} [{{partition}}]'),
      deadLetters('consumer_group, status', '{{status}}'),
    );
  const sections: Section[] = [
    [
      'Traffic',
      [
        requests('status_code', '{{status_code}}'),
        errors('job', 'errors'),
        latency('job', 'all routes'),
        slowRoutes,
        routes,
        ...(SERVICE_CLIENTS.includes(service) ? [serviceCalls] : []),
      ],
    ],
    ['Health', [readiness('job', 'replicas'), memory, cpu, eventLoop]],
    ['Event flow', flow],
  ];
  if (service === 'slm')
    sections.push(['SLA timers', [slaTimers, slaLateness, slaFirings, slaWatermark]]);
  if (service === 'gateway') sections.push(['Live updates', [liveStreams, liveChanges]]);
  sections.push(['Housekeeping', [retention]]);
  return sections;
}

function variables(service: Service | undefined) {
  const jobQuery = 'label_values(itsm_outbox_pending_events{namespace=~"$namespace"}, job)';
  return [
    {
      name: 'datasource',
      label: 'Data source',
      type: 'datasource',
      query: 'prometheus',
      current: {},
      hide: 0,
      refresh: 1,
      regex: '',
    },
    {
      name: 'namespace',
      label: 'Namespace',
      type: 'query',
      datasource: DATASOURCE,
      definition: 'label_values(itsm_outbox_pending_events, namespace)',
      query: { query: 'label_values(itsm_outbox_pending_events, namespace)', refId: 'namespace' },
      // Outside Kubernetes there is no namespace label: All matches its absence.
      includeAll: true,
      allValue: '.*',
      multi: true,
      current: { selected: true, text: ['All'], value: ['$__all'] },
      refresh: 2,
      sort: 1,
      hide: 0,
      regex: '',
    },
    {
      name: 'job',
      label: 'Job',
      type: 'query',
      datasource: DATASOURCE,
      definition: jobQuery,
      query: { query: jobQuery, refId: 'job' },
      // The chart's ServiceMonitor names jobs `<release>-<service>`; plain `<service>` too.
      regex: service ? `/^(.+-)?${service}$/` : '',
      includeAll: service === undefined,
      multi: service === undefined,
      current: service ? {} : { selected: true, text: ['All'], value: ['$__all'] },
      refresh: 2,
      sort: 1,
      hide: 0,
    },
  ];
}

function panelsOf(sections: Section[]) {
  const panels: object[] = [];
  let id = 1;
  let y = 0;
  for (const [title, specs] of sections) {
    panels.push({
      id: id++,
      type: 'row',
      title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    specs.forEach((spec, index) => {
      const x = (index % 2) * 12;
      if (index > 0 && index % 2 === 0) y += 8;
      panels.push({
        id: id++,
        type: 'timeseries',
        title: spec.title,
        description: spec.description,
        datasource: DATASOURCE,
        gridPos: { h: 8, w: 12, x, y },
        fieldConfig: {
          defaults: {
            unit: spec.unit,
            min: 0,
            custom: {
              drawStyle: spec.stacked ? 'bars' : 'line',
              fillOpacity: spec.stacked ? 60 : 10,
              stacking: { mode: spec.stacked ? 'normal' : 'none', group: 'A' },
              showPoints: 'never',
            },
          },
          overrides: [],
        },
        options: {
          legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
          tooltip: { mode: 'multi', sort: 'desc' },
        },
        targets: spec.targets.map((target, n) => ({
          datasource: DATASOURCE,
          expr: target.expr,
          legendFormat: target.legend,
          range: true,
          refId: String.fromCharCode(65 + n),
        })),
      });
    });
    y += 8;
  }
  return panels;
}

function dashboard(
  uid: string,
  title: string,
  description: string,
  sections: Section[],
  service?: Service,
) {
  return {
    uid,
    title,
    description,
    tags: ['itsm', ...(service ? [service] : ['platform'])],
    editable: true,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    timezone: 'browser',
    templating: { list: variables(service) },
    annotations: { list: [] },
    links: [
      {
        title: 'ITSM dashboards',
        type: 'dashboards',
        tags: ['itsm'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    panels: panelsOf(sections),
  };
}

/** Every dashboard, by file name. */
export function dashboards(): Record<string, object> {
  const all: Record<string, object> = {
    'platform.json': dashboard(
      'itsm-platform',
      'ITSM / Platform',
      'Every service at once: traffic, errors and latency, readiness and resources, the event flow (outbox, consumer lag, dead letters) and the SLA timer engine. Runbooks: docs/runbooks.md.',
      platformSections(),
    ),
  };
  for (const service of SERVICES)
    all[`${service}.json`] = dashboard(
      `itsm-${service}`,
      `ITSM / ${service}`,
      `The ${service} service: traffic, errors and latency by route, readiness and resources, its event flow. Runbooks: docs/runbooks.md.`,
      serviceSections(service),
      service,
    );
  return all;
}

/** A dashboard file's text: two-space JSON and a final newline. */
export function dashboardText(dashboard: object): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
