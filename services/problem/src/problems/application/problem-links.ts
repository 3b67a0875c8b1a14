import { Injectable } from '@nestjs/common';
import { EventTypes } from '@itsm/contracts';
import { type EntityManager } from 'typeorm';
import { type IncidentCopyEntity } from '../../incident-copies/persistence/incident-copy.entity';
import { type Problem } from '../domain/problem';
import { ProblemsRepository } from '../persistence/problems.repository';
import { ProblemWriter } from './problem-writer';

/**
 * How incidents attach to problems, inside the caller's transaction: one problem per
 * incident (linking elsewhere moves it), each problem's count kept equal to its links,
 * and an event for every problem an incident joined or left, so the incident service can
 * keep each incident's `problemId`.
 */
@Injectable()
export class ProblemLinks {
  constructor(
    private readonly problems: ProblemsRepository,
    private readonly writer: ProblemWriter,
  ) {}

  /** Links the incidents; answers the problem as stored and the ids newly linked to it. */
  async linkIncidents(
    manager: EntityManager,
    problem: Problem,
    incidents: readonly Pick<IncidentCopyEntity, 'id'>[],
    actor: string,
    at: Date,
  ): Promise<Problem> {
    return (
      await this.link(
        manager,
        problem,
        incidents.map((incident) => incident.id),
        actor,
        at,
      )
    ).problem;
  }

  async link(
    manager: EntityManager,
    problem: Problem,
    incidentIds: readonly string[],
    actor: string,
    at: Date,
  ): Promise<{ problem: Problem; linked: string[]; alreadyLinked: string[] }> {
    const existing = await this.problems.linksOf(manager, incidentIds);
    const alreadyLinked = existing
      .filter((link) => link.problemId === problem.id)
      .map((link) => link.incidentId);
    const linked = [...new Set(incidentIds)].filter((id) => !alreadyLinked.includes(id));
    if (linked.length === 0) return { problem, linked, alreadyLinked };
    const movedFrom = new Map<string, string[]>();
    for (const link of existing) {
      if (link.problemId === problem.id) continue;
      movedFrom.set(link.problemId, [...(movedFrom.get(link.problemId) ?? []), link.incidentId]);
    }
    await this.problems.link(manager, problem.id, linked, actor, at);
    for (const [previousId, moved] of [...movedFrom].sort(([a], [b]) => a.localeCompare(b))) {
      const previous = await this.problems.findForUpdate(manager, previousId);
      if (!previous) continue;
      const recounted = await this.recount(manager, previous);
      await this.writer.announce(manager, recounted, EventTypes.problem.incidentsUnlinked, {
        incidentIds: moved,
      });
    }
    const stored = await this.recount(manager, problem);
    await this.writer.announce(manager, stored, EventTypes.problem.incidentsLinked, {
      incidentIds: linked,
    });
    return { problem: stored, linked, alreadyLinked };
  }

  /** Unlinks the incidents that are linked to the problem; answers those it unlinked. */
  async unlink(
    manager: EntityManager,
    problem: Problem,
    incidentIds: readonly string[],
  ): Promise<{ problem: Problem; unlinked: string[] }> {
    const unlinked = (await this.problems.linksOf(manager, incidentIds))
      .filter((link) => link.problemId === problem.id)
      .map((link) => link.incidentId);
    if (unlinked.length === 0) return { problem, unlinked };
    await this.problems.unlink(manager, problem.id, unlinked);
    const stored = await this.recount(manager, problem);
    await this.writer.announce(manager, stored, EventTypes.problem.incidentsUnlinked, {
      incidentIds: unlinked,
    });
    return { problem: stored, unlinked };
  }

  /** A duplicate's incidents move to its original. */
  async moveIncidents(
    manager: EntityManager,
    duplicate: Problem,
    original: Problem,
    actor: string,
    at: Date,
  ): Promise<void> {
    const ids = await this.problems.linkedIncidentIds(manager, duplicate.id);
    await this.link(manager, original, ids, actor, at);
  }

  private async recount(manager: EntityManager, problem: Problem): Promise<Problem> {
    const incidentCount = await this.problems.countLinks(manager, problem.id);
    if (incidentCount === problem.incidentCount) return problem;
    await this.problems.setIncidentCount(manager, problem.id, incidentCount);
    return { ...problem, incidentCount };
  }
}
