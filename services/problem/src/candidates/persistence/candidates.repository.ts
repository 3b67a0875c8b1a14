import { Injectable } from '@nestjs/common';
import { qualifiedTable } from '@itsm/persistence';
import { In, type EntityManager } from 'typeorm';
import { IncidentCopyEntity } from '../../incident-copies/persistence/incident-copy.entity';
import { OPEN_PROBLEM_STATES, type Problem } from '../../problems/domain/problem';
import { ProblemIncidentLinkEntity } from '../../problems/persistence/problem-incident-link.entity';
import { ProblemEntity } from '../../problems/persistence/problem.entity';
import { candidateKey, type CandidateMatch } from '../domain/candidate-rules';

/** A cluster and the span of opening times the rules look at for it. */
export interface ClusterWindow {
  match: CandidateMatch;
  from: Date;
  to: Date;
}

type CiMatch = Extract<CandidateMatch, { rule: 'same_ci' }>;
type ServiceCategoryMatch = Extract<CandidateMatch, { rule: 'same_service_category' }>;

/** Most members the rules read of one cluster's window. */
const MEMBERS_PER_WINDOW = 1000;

/**
 * The open states as a literal list: the partial indexes on open problems are defined
 * with the same list, and PostgreSQL uses one only when it can prove the query's condition
 * implies it, which a parameter never does.
 */
const OPEN_STATES = OPEN_PROBLEM_STATES.map((state) => `'${state}'`).join(', ');

/**
 * The queries the candidate rules run for a run of incident events, each one statement for
 * every cluster of the run, each cluster an index probe (docs/benchmarks-problem.md).
 */
@Injectable()
export class CandidatesRepository {
  /**
   * For the rest of the transaction, no JIT compilation: the run's queries are a loop of
   * index probes whose estimated cost passes PostgreSQL's JIT threshold, and compiling them
   * costs more (about 10 ms a query) than running them (1 to 6 ms for 100 clusters).
   */
  async withoutJit(manager: EntityManager): Promise<void> {
    await manager.query('SET LOCAL jit = off');
  }

  /** Of the incidents, those linked to an open problem (they are covered). */
  async coveredIncidentIds(
    manager: EntityManager,
    incidentIds: readonly string[],
  ): Promise<Set<string>> {
    if (incidentIds.length === 0) return new Set();
    const rows = await manager.query<{ incident_id: string }[]>(
      `SELECT l.incident_id FROM ${this.links(manager)} l
         JOIN ${this.problems(manager)} p ON p.id = l.problem_id
        WHERE l.incident_id = ANY($1::uuid[]) AND p.state = ANY($2::text[])`,
      [incidentIds, OPEN_PROBLEM_STATES],
    );
    return new Set(rows.map((row) => row.incident_id));
  }

  /**
   * Per cluster, the open problem that covers it, if any: the candidate opened for its key
   * first, then the earliest opened problem naming its CI (or its service and category).
   */
  async coveringProblems(
    manager: EntityManager,
    matches: readonly CandidateMatch[],
  ): Promise<Map<string, Problem>> {
    const byCi = matches.filter((match): match is CiMatch => match.rule === 'same_ci');
    const byServiceCategory = matches.filter(
      (match): match is ServiceCategoryMatch => match.rule === 'same_service_category',
    );
    const pairs: { key: string; id: string }[] = [];
    // Served by IX_problems_candidate_key and IX_problems_open_ci_ids or
    // IX_problems_open_service_category.
    const covering = (condition: string) => `
      CROSS JOIN LATERAL (
        SELECT p.id FROM ${this.problems(manager)} p
         WHERE p.state IN (${OPEN_STATES}) AND (p.candidate_key = k.key OR ${condition})
         ORDER BY (p.candidate_key IS NOT DISTINCT FROM k.key) DESC, p.opened_at
         LIMIT 1) p`;
    if (byCi.length > 0) {
      pairs.push(
        ...(await manager.query<{ key: string; id: string }[]>(
          `SELECT k.key, p.id FROM unnest($1::text[], $2::uuid[]) AS k(key, ci_id)
           ${covering('p.ci_ids @> ARRAY[k.ci_id]')}`,
          [byCi.map(candidateKey), byCi.map((match) => match.ciId)],
        )),
      );
    }
    if (byServiceCategory.length > 0) {
      pairs.push(
        ...(await manager.query<{ key: string; id: string }[]>(
          `SELECT k.key, p.id FROM unnest($1::text[], $2::uuid[], $3::text[]) AS k(key, service_id, category)
           ${covering('(p.business_service_id = k.service_id AND p.category = k.category)')}`,
          [
            byServiceCategory.map(candidateKey),
            byServiceCategory.map((match) => match.businessServiceId),
            byServiceCategory.map((match) => match.category),
          ],
        )),
      );
    }
    if (pairs.length === 0) return new Map();
    const problems = await manager
      .getRepository(ProblemEntity)
      .findBy({ id: In([...new Set(pairs.map((pair) => pair.id))]) });
    const byId = new Map<string, Problem>(problems.map((problem) => [problem.id, problem]));
    const answer = new Map<string, Problem>();
    for (const { key, id } of pairs) {
      const problem = byId.get(id);
      if (problem) answer.set(key, problem);
    }
    return answer;
  }

  /**
   * Per cluster, its incidents opened in its window that no open problem covers, oldest
   * first (at most MEMBERS_PER_WINDOW), keyed by the cluster's key.
   */
  async uncoveredInWindows(
    manager: EntityManager,
    windows: readonly ClusterWindow[],
  ): Promise<Map<string, IncidentCopyEntity[]>> {
    const byCi = windows.filter(
      (window): window is ClusterWindow & { match: CiMatch } => window.match.rule === 'same_ci',
    );
    const byServiceCategory = windows.filter(
      (window): window is ClusterWindow & { match: ServiceCategoryMatch } =>
        window.match.rule === 'same_service_category',
    );
    const members = (condition: string) => `
      CROSS JOIN LATERAL (
        SELECT i.id FROM ${this.copies(manager)} i
         WHERE i.opened_at >= k.from_at AND i.opened_at <= k.to_at AND ${condition}
           AND NOT EXISTS (SELECT 1 FROM ${this.links(manager)} l
                             JOIN ${this.problems(manager)} p ON p.id = l.problem_id
                            WHERE l.incident_id = i.id AND p.state = ANY($1::text[]))
         ORDER BY i.opened_at, i.id
         LIMIT ${MEMBERS_PER_WINDOW}) i`;
    const spans = (list: readonly ClusterWindow[]) => [
      list.map((window) => candidateKey(window.match)),
      list.map((window) => window.from.toISOString()),
      list.map((window) => window.to.toISOString()),
    ];
    const pairs: { key: string; id: string }[] = [];
    if (byCi.length > 0) {
      pairs.push(
        ...(await manager.query<{ key: string; id: string }[]>(
          `SELECT k.key, i.id
             FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $5::uuid[])
                  AS k(key, from_at, to_at, ci_id)
           ${members('i.ci_ids @> ARRAY[k.ci_id]')}`,
          [OPEN_PROBLEM_STATES, ...spans(byCi), byCi.map((window) => window.match.ciId)],
        )),
      );
    }
    if (byServiceCategory.length > 0) {
      pairs.push(
        ...(await manager.query<{ key: string; id: string }[]>(
          `SELECT k.key, i.id
             FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $5::uuid[], $6::text[])
                  AS k(key, from_at, to_at, service_id, category)
           ${members('i.business_service_id = k.service_id AND i.category = k.category')}`,
          [
            OPEN_PROBLEM_STATES,
            ...spans(byServiceCategory),
            byServiceCategory.map((window) => window.match.businessServiceId),
            byServiceCategory.map((window) => window.match.category),
          ],
        )),
      );
    }
    const answer = new Map<string, IncidentCopyEntity[]>(
      windows.map((window) => [candidateKey(window.match), []]),
    );
    if (pairs.length === 0) return answer;
    const copies = await manager
      .getRepository(IncidentCopyEntity)
      .findBy({ id: In([...new Set(pairs.map((pair) => pair.id))]) });
    const byId = new Map(copies.map((copy) => [copy.id, copy]));
    for (const { key, id } of pairs) {
      const copy = byId.get(id);
      if (copy) answer.get(key)?.push(copy);
    }
    return answer;
  }

  private links(manager: EntityManager): string {
    return qualifiedTable(manager.connection.getMetadata(ProblemIncidentLinkEntity));
  }

  private problems(manager: EntityManager): string {
    return qualifiedTable(manager.connection.getMetadata(ProblemEntity));
  }

  private copies(manager: EntityManager): string {
    return qualifiedTable(manager.connection.getMetadata(IncidentCopyEntity));
  }
}
