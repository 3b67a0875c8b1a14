import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventTypes,
  JSON_CONTENT_TYPE,
  Topics,
  dataSchemaUri,
  type ChangeSnapshot,
  type IncidentSnapshot,
  type ItsmCloudEvent,
  type ProblemSnapshot,
  type SlaTimerSnapshot,
} from '@itsm/contracts';
import {
  GROUPS,
  TAXONOMY,
  assigneeName,
  businessServiceId,
  ciId,
  nameUuid,
} from '../incident/dataset';
import { seededRandom } from '../problem/events';

/**
 * The events of a year of service management, as the services publish them: per incident
 * its created, assigned, state changes, resolved and closed events (each carrying the
 * snapshot after the change, version by version) and the started and met/breached events
 * of its resolution SLA timer; per change and per problem their lifecycle. Drawn from a
 * seed, record by record (all of a record's events together, in version order): the
 * archive's order is then not the time order of the whole year, which the projections do
 * not need (they merge by version), and the generator needs no more memory at a million
 * incidents than at a thousand.
 */

export interface DatasetSize {
  incidents: number;
  changes: number;
  problems: number;
}

/** One event with where it came from, as the archive keeps it. */
export interface SourcedEvent {
  topic: string;
  partition: number;
  event: ItsmCloudEvent;
}

const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MS = 365 * 86_400_000;
const HOUR = 3_600_000;
const PARTITIONS = 3;
const SLA_ID = nameUuid('bench-reporting-sla-resolution');
const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
/** Resolution targets in hours, per priority. */
const TARGET_HOURS = [4, 8, 24, 72, 120];
const CATEGORIES = Object.keys(TAXONOMY);

type Draw = () => number;

function groupOf(random: Draw): { name: string; index: number } {
  let left = random();
  for (const [index, group] of GROUPS.entries()) {
    left -= group.share;
    if (left < 0) return { name: group.name, index };
  }
  return { name: GROUPS[0]?.name ?? 'service-desk', index: 0 };
}

/** Opening times spread over the year, busier on weekdays and in working hours. */
function openingTime(random: Draw): number {
  for (;;) {
    const at = YEAR_START + Math.floor(random() * YEAR_MS);
    const date = new Date(at);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const working = date.getUTCHours() >= 7 && date.getUTCHours() < 19;
    if (random() < (weekend ? 0.3 : 1) * (working ? 1 : 0.35)) return at;
  }
}

/** A log-normal-ish duration around a median (hours), as resolution times are. */
function hoursAround(random: Draw, median: number): number {
  const normal = Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(0.9 * normal);
}

const iso = (at: number) => new Date(at).toISOString();

function cloudEvent(
  type: string,
  source: string,
  subject: string,
  id: string,
  at: number,
  data: unknown,
): ItsmCloudEvent {
  return {
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id,
    source,
    type,
    subject,
    time: iso(at),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataSchemaUri(type),
    data,
  };
}

/** The events of incident `n` (1-based) and of its resolution SLA timer, in version order. */
export function incidentEvents(n: number, random: Draw, now: number): SourcedEvent[] {
  const int = (bound: number) => Math.floor(random() * bound);
  const id = nameUuid(`bench-reporting-incident-${n}`);
  const number = `INC${String(n).padStart(7, '0')}`;
  const opened = openingTime(random);
  const group = groupOf(random);
  const impact = 1 + int(3);
  const urgency = 1 + int(3);
  const priorityIndex = Math.min(4, impact + urgency - 2);
  const category = CATEGORIES[int(CATEGORIES.length)] ?? 'software';
  const subcategories = TAXONOMY[category] ?? [];
  let snapshot: IncidentSnapshot = {
    id,
    number,
    type: 'incident',
    title: `Generated incident ${n}`,
    description: `Incident ${n} of the reporting benchmark.`,
    requester: `user-${String(int(10_000)).padStart(5, '0')}`,
    source: random() < 0.3 ? 'monitoring' : 'portal',
    category,
    subcategory: subcategories[int(subcategories.length)] ?? null,
    catalogItem: null,
    businessServiceId: businessServiceId(int(50)),
    ciIds: [ciId(int(100_000))],
    impact: impact as IncidentSnapshot['impact'],
    urgency: urgency as IncidentSnapshot['urgency'],
    priority: PRIORITIES[priorityIndex] ?? 'P3',
    priorityOverrideReason: null,
    state: 'new',
    holdReason: null,
    awaitingChangeId: null,
    assignmentGroup: random() < 0.6 ? group.name : null,
    assignee: null,
    major: priorityIndex === 0 && random() < 0.2,
    parentId: null,
    escalationLevel: 0,
    resolutionCode: null,
    resolutionNotes: null,
    openedAt: iso(opened),
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    tags: [],
    externalRef: null,
    updatedAt: iso(opened),
    version: 1,
  };
  const events: SourcedEvent[] = [];
  const partition = n % PARTITIONS;
  const push = (
    happening: keyof typeof EventTypes.incident,
    at: number,
    changes: Partial<IncidentSnapshot>,
  ) => {
    const previous: Record<string, unknown> = {};
    for (const key of Object.keys(changes) as (keyof IncidentSnapshot)[])
      previous[key] = snapshot[key];
    const version = events.length === 0 ? 1 : snapshot.version + 1;
    snapshot = { ...snapshot, ...changes, updatedAt: iso(at), version };
    const type = EventTypes.incident[happening];
    events.push({
      topic: Topics.incidentEvents,
      partition,
      event: cloudEvent(type, '/itsm/incident', id, nameUuid(`${id}-${version}`), at, {
        incident: snapshot,
        changedFields: events.length === 0 ? [] : Object.keys(changes),
        previous: events.length === 0 ? {} : previous,
      }),
    });
  };
  push('created', opened, {});
  const target = (TARGET_HOURS[priorityIndex] ?? 24) * HOUR;
  const resolveAfter = hoursAround(random, (TARGET_HOURS[priorityIndex] ?? 24) * 0.5) * HOUR;
  const assignAt = opened + Math.min(resolveAfter / 4, HOUR * random());
  const respondAt = assignAt + (resolveAfter - (assignAt - opened)) * 0.2 * random();
  const resolvedAt = opened + resolveAfter;
  const closedAt = resolvedAt + 7 * 86_400_000;
  if (assignAt < now)
    push('assigned', assignAt, {
      assignmentGroup: group.name,
      assignee: assigneeName(group.index, int(40)),
    });
  if (assignAt < now && random() < 0.15) {
    // A reassignment: to the next group.
    const other = GROUPS[(group.index + 1) % GROUPS.length]?.name ?? group.name;
    push('assigned', assignAt + (respondAt - assignAt) / 2, { assignmentGroup: other });
  }
  if (respondAt < now)
    push('stateChanged', respondAt, { state: 'in_progress', firstResponseAt: iso(respondAt) });
  if (resolvedAt < now)
    push('resolved', resolvedAt, {
      state: 'resolved',
      resolvedAt: iso(resolvedAt),
      resolutionCode: 'fixed',
    });
  if (closedAt < now) push('closed', closedAt, { state: 'closed', closedAt: iso(closedAt) });

  // The resolution SLA timer: started at opening, then met or breached.
  const timerId = nameUuid(`bench-reporting-timer-${n}`);
  const timer: SlaTimerSnapshot = {
    id: timerId,
    recordId: id,
    recordType: 'incident',
    recordNumber: number,
    slaId: SLA_ID,
    slaVersion: 1,
    slaName: `Resolution ${PRIORITIES[priorityIndex] ?? 'P3'}`,
    target: 'resolution',
    state: 'running',
    startedAt: iso(opened),
    dueAt: iso(opened + target),
    elapsedMs: 0,
    percentUsed: 0,
    breachedAt: null,
    stoppedAt: null,
  };
  const timerEvent = (type: string, at: number, state: SlaTimerSnapshot, sequence: number) => ({
    topic: Topics.slaEvents,
    partition,
    event: cloudEvent(type, '/itsm/slm', timerId, nameUuid(`${timerId}-${sequence}`), at, {
      timer: state,
    }),
  });
  events.push(timerEvent(EventTypes.sla.started, opened, timer, 1));
  const breachAt = opened + target;
  if (resolveAfter > target && breachAt < now)
    events.push(
      timerEvent(
        EventTypes.sla.breached,
        breachAt,
        {
          ...timer,
          state: 'breached',
          breachedAt: iso(breachAt),
          elapsedMs: target,
          percentUsed: 100,
        },
        2,
      ),
    );
  else if (resolvedAt < now)
    events.push(
      timerEvent(
        EventTypes.sla.met,
        resolvedAt,
        {
          ...timer,
          state: 'met',
          stoppedAt: iso(resolvedAt),
          elapsedMs: Math.round(resolveAfter),
          percentUsed: Math.round((resolveAfter / target) * 100),
        },
        2,
      ),
    );
  return events;
}

const CHANGE_MODELS = ['standard', 'normal', 'emergency'] as const;
const CHANGE_RISKS = ['low', 'moderate', 'high', 'very_high'] as const;
const CLOSE_CODES = [
  'successful',
  'successful',
  'successful',
  'successful_with_issues',
  'unsuccessful',
  'backed_out',
] as const;

/** The events of change `n`: raised, authorised, implementation started, completed, closed. */
export function changeEvents(n: number, random: Draw, now: number): SourcedEvent[] {
  const int = (bound: number) => Math.floor(random() * bound);
  const id = nameUuid(`bench-reporting-change-${n}`);
  const opened = openingTime(random);
  const group = groupOf(random);
  const model = CHANGE_MODELS[random() < 0.6 ? 0 : random() < 0.9 ? 1 : 2] ?? 'normal';
  const plannedStart = opened + (2 + int(72)) * HOUR;
  const plannedEnd = plannedStart + (1 + int(4)) * HOUR;
  let change: ChangeSnapshot = {
    id,
    number: `CHG${String(n).padStart(7, '0')}`,
    title: `Generated change ${n}`,
    description: `Change ${n} of the reporting benchmark.`,
    justification: null,
    model,
    templateId: null,
    templateVersion: null,
    category: CATEGORIES[int(CATEGORIES.length)] ?? 'software',
    impact: 1 + int(3),
    risk: CHANGE_RISKS[int(CHANGE_RISKS.length)] ?? 'low',
    riskSource: 'condition',
    riskReasons: [],
    riskAnswers: {},
    riskAssessedAt: null,
    state: 'new',
    approval: 'not_requested',
    onHold: false,
    holdReason: null,
    heldByWindowId: null,
    plannedStart: iso(plannedStart),
    plannedEnd: iso(plannedEnd),
    actualStart: null,
    actualEnd: null,
    implementationPlan: null,
    backoutPlan: null,
    testPlan: null,
    ciIds: [ciId(int(100_000))],
    businessServiceIds: [businessServiceId(int(50))],
    assignmentGroup: group.name,
    assignee: assigneeName(group.index, int(40)),
    requestedBy: `user-${String(int(10_000)).padStart(5, '0')}`,
    problemIds: [],
    incidentIds: [],
    causedIncidentIds: [],
    closeCode: null,
    closeNotes: null,
    reviewNotes: null,
    unauthorized: false,
    blackoutOverrideReason: null,
    externalRef: null,
    openedAt: iso(opened),
    authorizedAt: null,
    closedAt: null,
    closedBy: null,
    updatedAt: iso(opened),
    version: 1,
  };
  const events: SourcedEvent[] = [];
  const push = (
    happening: keyof typeof EventTypes.change,
    at: number,
    changes: Partial<ChangeSnapshot>,
  ) => {
    if (at >= now) return false;
    const previous: Record<string, unknown> = {};
    for (const key of Object.keys(changes) as (keyof ChangeSnapshot)[]) previous[key] = change[key];
    const version = events.length === 0 ? 1 : change.version + 1;
    change = { ...change, ...changes, updatedAt: iso(at), version };
    const type = EventTypes.change[happening];
    events.push({
      topic: Topics.changeEvents,
      partition: n % PARTITIONS,
      event: cloudEvent(type, '/itsm/change', id, nameUuid(`${id}-${version}`), at, {
        change,
        changedFields: events.length === 0 ? [] : Object.keys(changes),
        previous: events.length === 0 ? {} : previous,
      }),
    });
    return true;
  };
  push('created', opened, {});
  const authorized = opened + (plannedStart - opened) / 2;
  if (
    !push('authorized', authorized, {
      state: 'scheduled',
      approval: 'approved',
      authorizedAt: iso(authorized),
    })
  )
    return events;
  if (
    !push('implementationStarted', plannedStart, {
      state: 'implement',
      actualStart: iso(plannedStart),
    })
  )
    return events;
  const closeCode = CLOSE_CODES[int(CLOSE_CODES.length)] ?? 'successful';
  if (!push('completed', plannedEnd, { state: 'review', actualEnd: iso(plannedEnd), closeCode }))
    return events;
  const closed = plannedEnd + 2 * 86_400_000;
  push('closed', closed, {
    state: 'closed',
    closedAt: iso(closed),
    closedBy: 'change-manager',
    causedIncidentIds:
      closeCode === 'unsuccessful' ? [nameUuid(`bench-reporting-incident-${1 + int(1000)}`)] : [],
  });
  return events;
}

/** The events of problem `n`: recorded, root cause found, resolved, closed. */
export function problemEvents(n: number, random: Draw, now: number): SourcedEvent[] {
  const int = (bound: number) => Math.floor(random() * bound);
  const id = nameUuid(`bench-reporting-problem-${n}`);
  const opened = openingTime(random);
  const group = groupOf(random);
  let problem: ProblemSnapshot = {
    id,
    number: `PRB${String(n).padStart(7, '0')}`,
    title: `Generated problem ${n}`,
    description: `Problem ${n} of the reporting benchmark.`,
    category: CATEGORIES[int(CATEGORIES.length)] ?? 'software',
    subcategory: null,
    businessServiceId: businessServiceId(int(50)),
    ciIds: [ciId(int(100_000))],
    impact: 2,
    urgency: 2,
    priority: PRIORITIES[1 + int(3)] ?? 'P3',
    priorityOverrideReason: null,
    state: 'new',
    source: 'manual',
    candidateReason: null,
    assignmentGroup: group.name,
    assignee: assigneeName(group.index, int(40)),
    openedBy: 'problem_manager',
    causeNotes: null,
    fixNotes: null,
    workaround: null,
    resolutionCode: null,
    resolutionNotes: null,
    duplicateOfId: null,
    changeIds: [],
    incidentCount: int(20),
    openedAt: iso(opened),
    confirmedAt: null,
    confirmedBy: null,
    rootCauseIdentifiedAt: null,
    rootCauseIdentifiedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    closedAt: null,
    closedBy: null,
    reanalysisCount: 0,
    updatedAt: iso(opened),
    version: 1,
  };
  const events: SourcedEvent[] = [];
  const push = (
    happening: keyof typeof EventTypes.problem,
    at: number,
    changes: Partial<ProblemSnapshot>,
  ) => {
    if (at >= now) return false;
    const previous: Record<string, unknown> = {};
    for (const key of Object.keys(changes) as (keyof ProblemSnapshot)[])
      previous[key] = problem[key];
    const version = events.length === 0 ? 1 : problem.version + 1;
    problem = { ...problem, ...changes, updatedAt: iso(at), version };
    const type = EventTypes.problem[happening];
    events.push({
      topic: Topics.problemEvents,
      partition: n % PARTITIONS,
      event: cloudEvent(type, '/itsm/problem', id, nameUuid(`${id}-${version}`), at, {
        problem,
        changedFields: events.length === 0 ? [] : Object.keys(changes),
        previous: events.length === 0 ? {} : previous,
      }),
    });
    return true;
  };
  push('created', opened, {});
  const rootCause = opened + hoursAround(random, 24 * 10) * HOUR;
  if (
    !push('stateChanged', rootCause, {
      state: 'fix_in_progress',
      rootCauseIdentifiedAt: iso(rootCause),
      rootCauseIdentifiedBy: 'problem_manager',
    })
  )
    return events;
  const resolved = rootCause + hoursAround(random, 24 * 7) * HOUR;
  if (
    !push('resolved', resolved, {
      state: 'resolved',
      resolvedAt: iso(resolved),
      resolvedBy: 'problem_manager',
      resolutionCode: 'fix_applied',
    })
  )
    return events;
  const closed = resolved + 14 * 86_400_000;
  push('closed', closed, { state: 'closed', closedAt: iso(closed), closedBy: 'problem_manager' });
  return events;
}

/**
 * Every record's events, record after record: incidents, changes and problems interleaved
 * in proportion (the archive mixes its families, as a live one does), in batches for the
 * loader. `now` is the end of the year: what happens after it has not happened yet.
 */
export function* datasetEvents(size: DatasetSize, seed: number): Generator<SourcedEvent[]> {
  const random = seededRandom(seed);
  const now = YEAR_START + YEAR_MS;
  const total = size.incidents + size.changes + size.problems;
  let batch: SourcedEvent[] = [];
  const families = [
    { left: size.incidents, of: size.incidents, next: 0, events: incidentEvents },
    { left: size.changes, of: size.changes, next: 0, events: changeEvents },
    { left: size.problems, of: size.problems, next: 0, events: problemEvents },
  ];
  for (let k = 0; k < total; k += 1) {
    // The family furthest behind its share goes next.
    let family = families[0];
    for (const candidate of families)
      if (
        candidate.left > 0 &&
        (!family || family.left === 0 || candidate.next / candidate.of < family.next / family.of)
      )
        family = candidate;
    if (!family) break;
    family.left -= 1;
    family.next += 1;
    batch.push(...family.events(family.next, random, now));
    if (batch.length >= 2000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
