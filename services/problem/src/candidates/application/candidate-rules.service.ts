import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventTypes, type IncidentSnapshot, type ItsmCloudEvent } from '@itsm/contracts';
import { type EntityManager } from 'typeorm';
import { PROBLEM_CONFIG, type ProblemConfig } from '../../config/problem.config';
import { IncidentCopiesRepository } from '../../incident-copies/persistence/incident-copies.repository';
import { type IncidentCopyEntity } from '../../incident-copies/persistence/incident-copy.entity';
import { ProblemLinks } from '../../problems/application/problem-links';
import { ProblemWriter } from '../../problems/application/problem-writer';
import { openProblem, type NewProblem } from '../../problems/domain/problem';
import { ProblemsRepository } from '../../problems/persistence/problems.repository';
import { nextSequenceValue } from '@itsm/persistence';
import {
  candidateKey,
  candidateReason,
  clustersOf,
  densestWindowAround,
  majorIncidentKey,
  severityOf,
  type CandidateMatch,
} from '../domain/candidate-rules';
import { CandidatesRepository } from '../persistence/candidates.repository';

/** Who the history and journal name for what the candidate rules do. */
export const SYSTEM_ACTOR = 'system';

/**
 * What problem management does with incident events, in the inbox's transaction (so each
 * event applies once): keeps its copy of the incident, then runs the candidate rules. A
 * cluster's work is serialised by an advisory lock on its key, so two incidents arriving
 * at once on two partitions open one candidate, not two.
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

  async observe(
    manager: EntityManager,
    event: ItsmCloudEvent,
    incident: IncidentSnapshot,
  ): Promise<void> {
    const { before, current: copy, kept } = await this.copies.keep(manager, incident);
    // A change emits several events with one version (state_changed, then closed): the
    // milestone is read from its own event even when the copy already holds that version.
    if (
      event.type === EventTypes.incident.closed &&
      copy.major &&
      this.config.candidateFromMajorIncidents
    ) {
      await this.openForMajorIncident(manager, copy);
    }
    if (!kept || ['resolved', 'closed', 'cancelled'].includes(copy.state)) return;
    for (const match of clustersOf(copy, before, this.config.candidateRules)) {
      await this.consider(manager, copy, match);
    }
  }

  private async consider(
    manager: EntityManager,
    incident: IncidentCopyEntity,
    match: CandidateMatch,
  ): Promise<void> {
    const key = candidateKey(match);
    await this.problems.lockKey(manager, `candidate:${key}`);
    if (await this.candidates.isCovered(manager, incident.id)) return;
    const covering = await this.candidates.coveringProblem(manager, match, key);
    if (covering) {
      // Another incident of a cluster that has its candidate joins it; one a problem
      // opened by hand covers is left for its problem manager to link.
      if (covering.candidateKey === key) {
        await this.links.link(manager, covering, [incident.id], SYSTEM_ACTOR, new Date());
      }
      return;
    }
    const windowMs = this.config.candidateWindowMs;
    // Only the last PROBLEM_CANDIDATE_WINDOW up to now counts: incidents opened before it (an
    // event delivered late, an old incident given a CI) are not recurring now.
    const windowStart = Date.now() - windowMs;
    if (incident.openedAt.getTime() < windowStart) return;
    const nearby = await this.candidates.uncoveredInWindow(manager, match, {
      from: new Date(Math.max(windowStart, incident.openedAt.getTime() - windowMs)),
      to: new Date(incident.openedAt.getTime() + windowMs),
    });
    if (!nearby.some((member) => member.id === incident.id)) nearby.push(incident);
    const members = densestWindowAround(incident.openedAt, nearby, windowMs);
    if (members.length < this.config.candidateThreshold) return;
    const first = members[0] ?? incident;
    await this.open(
      manager,
      {
        title: `Recurring incidents: ${first.title}`.slice(0, 200),
        description: candidateReason(match, members, this.config.candidateWindowMs),
        category: match.rule === 'same_service_category' ? match.category : first.category,
        businessServiceId:
          match.rule === 'same_service_category'
            ? match.businessServiceId
            : first.businessServiceId,
        ciIds: match.rule === 'same_ci' ? [match.ciId] : [],
        ...severityOf(members),
        source: 'auto',
        candidateKey: key,
        candidateReason: candidateReason(match, members, this.config.candidateWindowMs),
        openedBy: SYSTEM_ACTOR,
      },
      members,
    );
  }

  /** A closed major incident opens one candidate for its review, once however often its events repeat. */
  private async openForMajorIncident(
    manager: EntityManager,
    incident: IncidentCopyEntity,
  ): Promise<void> {
    const key = majorIncidentKey(incident.id);
    await this.problems.lockKey(manager, `candidate:${key}`);
    if (await this.problems.existsWithCandidateKey(manager, key)) return;
    const reason = `Major incident ${incident.number} was closed: its review looks for the underlying cause.`;
    await this.open(
      manager,
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
    await this.links.link(
      manager,
      problem,
      incidents.map((incident) => incident.id),
      SYSTEM_ACTOR,
      now,
    );
  }
}
