import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventTypes, type IncidentSnapshot } from '@itsm/contracts';
import { type EntityManager } from 'typeorm';
import { PROBLEM_CONFIG, type ProblemConfig } from '../../config/problem.config';
import { IncidentCopiesRepository } from '../../incident-copies/persistence/incident-copies.repository';
import { type IncidentCopyEntity } from '../../incident-copies/persistence/incident-copy.entity';
import { ProblemLinks } from '../../problems/application/problem-links';
import { ProblemWriter } from '../../problems/application/problem-writer';
import { openProblem, type NewProblem, type Problem } from '../../problems/domain/problem';
import { ProblemsRepository } from '../../problems/persistence/problems.repository';
import { nextSequenceValue } from '@itsm/persistence';
import {
  belongsTo,
  candidateKey,
  candidateReason,
  clustersOf,
  covers,
  densestWindowAround,
  majorIncidentKey,
  preferredCovering,
  severityOf,
  type CandidateMatch,
} from '../domain/candidate-rules';
import { CandidatesRepository, type ClusterWindow } from '../persistence/candidates.repository';

/** Who the history and journal name for what the candidate rules do. */
export const SYSTEM_ACTOR = 'system';

/** An incident event as the candidate rules read it. */
export interface ObservedEvent {
  type: string;
  incident: IncidentSnapshot;
}

const ENDED_STATES = new Set(['resolved', 'closed', 'cancelled']);

/**
 * What problem management does with a run of incident events (one partition's, in order),
 * in the inbox's transaction (so each event applies once): keeps its copy of each incident,
 * then runs the candidate rules over the events one after the other, as if each had been
 * applied alone. What the rules read is fetched once for the run, one statement per kind
 * of question, and kept current in memory as the run opens candidates and links
 * incidents; links to an existing candidate are written once per candidate at the end. The
 * clusters' advisory locks are taken first, in one order, so two runs on two partitions
 * that share a cluster open one candidate, not two, and never deadlock.
 */
@Injectable()
export class CandidateRulesService {
  constructor(
    private readonly copies: IncidentCopiesRepository,
    private readonly candidates: CandidatesRepository,
    private readonly problems: ProblemsRepository,
    private readonly writer: ProblemWriter,
    private readonly links: ProblemLinks,
    @Inject(PROBLEM_CONFIG) private readonly config: ProblemConfig,
  ) {}

  async observe(manager: EntityManager, events: readonly ObservedEvent[]): Promise<void> {
    const kept = await this.copies.keepAll(
      manager,
      events.map((event) => event.incident),
    );
    const steps = events.map((event, index): RunStep => {
      const { before, current, kept: changed } = kept[index];
      // A change emits several events with one version (state_changed, then closed): the
      // milestone is read from its own event even when the copy already holds that version.
      const majorReview =
        event.type === EventTypes.incident.closed &&
        current.major &&
        this.config.candidateFromMajorIncidents;
      const matches =
        !changed || ENDED_STATES.has(current.state)
          ? []
          : clustersOf(current, before, this.config.candidateRules);
      return { before, current, majorReview, matches };
    });
    const matches = uniqueMatches(steps.flatMap((step) => step.matches));
    const reviews = steps.filter((step) => step.majorReview);
    if (matches.length === 0 && reviews.length === 0) return;
    await this.problems.lockKeys(manager, [
      ...matches.map((match) => `candidate:${candidateKey(match)}`),
      ...reviews.map((step) => `candidate:${majorIncidentKey(step.current.id)}`),
    ]);
    const run = await this.startRun(manager, steps, matches);
    for (const step of steps) {
      run.advance(step);
      if (step.majorReview) await this.openForMajorIncident(manager, run, step.current);
      for (const match of step.matches) await this.consider(manager, run, step.current, match);
    }
    for (const { problem, incidentIds } of run.pendingLinks.values()) {
      // Read again, locked: a manager may have linked or unlinked incidents since the run read it.
      const current = await this.problems.findForUpdate(manager, problem.id);
      if (current) await this.links.link(manager, current, incidentIds, SYSTEM_ACTOR, new Date());
    }
  }

  /** Reads, once for the run, what the rules ask of the database. */
  private async startRun(
    manager: EntityManager,
    steps: readonly RunStep[],
    matches: readonly CandidateMatch[],
  ): Promise<CandidateRun> {
    const incidentIds = [...new Set(steps.map((step) => step.current.id))];
    await this.candidates.withoutJit(manager);
    const covered = await this.candidates.coveredIncidentIds(manager, incidentIds);
    const covering = await this.candidates.coveringProblems(manager, matches);
    const windowMs = this.config.candidateWindowMs;
    // Only the last PROBLEM_CANDIDATE_WINDOW up to now counts: incidents opened before it (an
    // event delivered late, an old incident given a CI) are not recurring now.
    const windowStart = Date.now() - windowMs;
    const windows = new Map<string, ClusterWindow>();
    for (const step of steps) {
      const openedAt = step.current.openedAt.getTime();
      if (openedAt < windowStart) continue;
      for (const match of step.matches) {
        const key = candidateKey(match);
        if (covering.has(key)) continue;
        const from = Math.max(windowStart, openedAt - windowMs);
        const to = openedAt + windowMs;
        const known = windows.get(key);
        windows.set(key, {
          match,
          from: new Date(Math.min(from, known?.from.getTime() ?? from)),
          to: new Date(Math.max(to, known?.to.getTime() ?? to)),
        });
      }
    }
    const members = await this.candidates.uncoveredInWindows(manager, [...windows.values()]);
    return new CandidateRun(steps, matches, covered, covering, members, windowStart, windowMs);
  }

  private async consider(
    manager: EntityManager,
    run: CandidateRun,
    incident: IncidentCopyEntity,
    match: CandidateMatch,
  ): Promise<void> {
    if (run.covered.has(incident.id)) return;
    const key = candidateKey(match);
    const covering = run.covering.get(key);
    if (covering) {
      // Another incident of a cluster that has its candidate joins it; one a problem
      // opened by hand covers is left for its problem manager to link.
      if (covering.candidateKey === key) run.linkLater(covering, incident.id);
      return;
    }
    const nearby = run.uncoveredAround(incident, match);
    if (!nearby) return;
    const windowMs = this.config.candidateWindowMs;
    const members = densestWindowAround(incident.openedAt, nearby, windowMs);
    if (members.length < this.config.candidateThreshold) return;
    const first = members[0] ?? incident;
    const reason = candidateReason(match, members, windowMs);
    await this.open(
      manager,
      run,
      {
        title: `Recurring incidents: ${first.title}`.slice(0, 200),
        description: reason,
        category: match.rule === 'same_service_category' ? match.category : first.category,
        businessServiceId:
          match.rule === 'same_service_category'
            ? match.businessServiceId
            : first.businessServiceId,
        ciIds: match.rule === 'same_ci' ? [match.ciId] : [],
        ...severityOf(members),
        source: 'auto',
        candidateKey: key,
        candidateReason: reason,
        openedBy: SYSTEM_ACTOR,
      },
      members,
    );
  }

  /** A closed major incident opens one candidate for its review, once however often its events repeat. */
  private async openForMajorIncident(
    manager: EntityManager,
    run: CandidateRun,
    incident: IncidentCopyEntity,
  ): Promise<void> {
    const key = majorIncidentKey(incident.id);
    if (await this.problems.existsWithCandidateKey(manager, key)) return;
    const reason = `Major incident ${incident.number} was closed: its review looks for the underlying cause.`;
    await this.open(
      manager,
      run,
      {
        title: `Review of major incident ${incident.number}: ${incident.title}`.slice(0, 200),
        description: reason,
        category: incident.category,
        subcategory: incident.subcategory,
        businessServiceId: incident.businessServiceId,
        ciIds: incident.ciIds,
        impact: incident.impact as NewProblem['impact'],
        urgency: incident.urgency as NewProblem['urgency'],
        source: 'major_incident',
        candidateKey: key,
        candidateReason: reason,
        openedBy: SYSTEM_ACTOR,
      },
      [incident],
    );
  }

  private async open(
    manager: EntityManager,
    run: CandidateRun,
    input: NewProblem,
    incidents: readonly IncidentCopyEntity[],
  ): Promise<void> {
    const sequence = await nextSequenceValue(manager, 'problem_number_seq');
    const now = new Date();
    const problem = openProblem(
      input,
      { id: randomUUID(), sequence },
      now,
      this.config.priorityMatrix,
    );
    await this.writer.create(manager, problem, SYSTEM_ACTOR, [
      { kind: 'work_note', text: input.candidateReason ?? '', author: SYSTEM_ACTOR },
    ]);
    const { problem: stored } = await this.links.link(
      manager,
      problem,
      incidents.map((incident) => incident.id),
      SYSTEM_ACTOR,
      now,
    );
    run.opened(stored, incidents);
  }
}

interface RunStep {
  before: IncidentCopyEntity | null;
  current: IncidentCopyEntity;
  majorReview: boolean;
  matches: CandidateMatch[];
}

function uniqueMatches(matches: readonly CandidateMatch[]): CandidateMatch[] {
  return [...new Map(matches.map((match) => [candidateKey(match), match])).values()];
}

/**
 * What the rules know during a run, as the database would answer at each event had the
 * events been applied one by one: which incidents are covered, which problem covers each
 * cluster, the copies of the run's incidents as of the event being applied, and the
 * clusters' other uncovered members as read at the start.
 */
class CandidateRun {
  /** Links to candidates that existed before they were needed, written at the end of the run. */
  readonly pendingLinks = new Map<string, { problem: Problem; incidentIds: string[] }>();
  private readonly copiesNow = new Map<string, IncidentCopyEntity>();
  private readonly runIncidentIds: Set<string>;

  constructor(
    steps: readonly RunStep[],
    private readonly matches: readonly CandidateMatch[],
    readonly covered: Set<string>,
    readonly covering: Map<string, Problem>,
    private readonly members: Map<string, IncidentCopyEntity[]>,
    private readonly windowStart: number,
    private readonly windowMs: number,
  ) {
    this.runIncidentIds = new Set(steps.map((step) => step.current.id));
    for (const step of [...steps].reverse()) {
      if (step.before) this.copiesNow.set(step.current.id, step.before);
      else this.copiesNow.delete(step.current.id);
    }
  }

  /** The step's event is now applied: its copy is as the event left it. */
  advance(step: RunStep): void {
    this.copiesNow.set(step.current.id, step.current);
  }

  linkLater(problem: Problem, incidentId: string): void {
    const pending = this.pendingLinks.get(problem.id) ?? { problem, incidentIds: [] };
    pending.incidentIds.push(incidentId);
    this.pendingLinks.set(problem.id, pending);
    this.covered.add(incidentId);
  }

  /** A problem the run opened, linked to its incidents: it now covers them and its clusters. */
  opened(problem: Problem, incidents: readonly IncidentCopyEntity[]): void {
    for (const incident of incidents) this.covered.add(incident.id);
    for (const match of this.matches) {
      if (!covers(problem, match)) continue;
      const key = candidateKey(match);
      this.covering.set(key, preferredCovering(this.covering.get(key), problem, match));
    }
  }

  /**
   * The cluster's uncovered members opened in the incident's window, the incident among
   * them; undefined when the incident itself opened before the window.
   */
  uncoveredAround(
    incident: IncidentCopyEntity,
    match: CandidateMatch,
  ): IncidentCopyEntity[] | undefined {
    const openedAt = incident.openedAt.getTime();
    if (openedAt < this.windowStart) return undefined;
    const from = Math.max(this.windowStart, openedAt - this.windowMs);
    const to = openedAt + this.windowMs;
    const inWindow = (copy: IncidentCopyEntity) =>
      !this.covered.has(copy.id) &&
      copy.openedAt.getTime() >= from &&
      copy.openedAt.getTime() <= to;
    const others = (this.members.get(candidateKey(match)) ?? []).filter(
      (copy) => !this.runIncidentIds.has(copy.id) && inWindow(copy),
    );
    const ofTheRun = [...this.copiesNow.values()].filter(
      (copy) => copy.id !== incident.id && belongsTo(copy, match) && inWindow(copy),
    );
    return [...others, ...ofTheRun, incident];
  }
}
