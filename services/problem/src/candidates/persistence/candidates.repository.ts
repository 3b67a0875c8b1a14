import { Injectable } from '@nestjs/common';
import { qualifiedTable } from '@itsm/persistence';
import { type EntityManager } from 'typeorm';
import { IncidentCopyEntity } from '../../incident-copies/persistence/incident-copy.entity';
import { OPEN_PROBLEM_STATES, type Problem } from '../../problems/domain/problem';
import { ProblemIncidentLinkEntity } from '../../problems/persistence/problem-incident-link.entity';
import { ProblemEntity } from '../../problems/persistence/problem.entity';
import { type CandidateMatch } from '../domain/candidate-rules';

/** The queries the candidate rules run, each served by an index (docs/benchmarks-problem.md). */
@Injectable()
export class CandidatesRepository {
  /**
   * The open problem that covers a cluster: the candidate opened for its key, or any open
   * problem naming the CI (or the service and category). The candidate comes first.
   */
  async coveringProblem(
    manager: EntityManager,
    match: CandidateMatch,
    key: string,
  ): Promise<Problem | null> {
    const query = manager
      .getRepository(ProblemEntity)
      .createQueryBuilder('p')
      .where('p.state IN (:...open)', { open: OPEN_PROBLEM_STATES });
    if (match.rule === 'same_ci') {
      query.andWhere('(p.candidateKey = :key OR p.ciIds @> ARRAY[:ciId]::uuid[])', {
        key,
        ciId: match.ciId,
      });
    } else {
      query.andWhere(
        '(p.candidateKey = :key OR (p.businessServiceId = :service AND p.category = :category))',
        { key, service: match.businessServiceId, category: match.category },
      );
    }
    // getOne() sends no LIMIT: without it every open problem of the cluster is read and sorted.
    return query
      .orderBy('(p.candidateKey = :key)', 'DESC')
      .addOrderBy('p.openedAt')
      .setParameter('key', key)
      .limit(1)
      .getOne();
  }

  /** Whether the incident is linked to an open problem (then it is covered). */
  async isCovered(manager: EntityManager, incidentId: string): Promise<boolean> {
    const links = qualifiedTable(manager.connection.getMetadata(ProblemIncidentLinkEntity));
    const problems = qualifiedTable(manager.connection.getMetadata(ProblemEntity));
    const [row] = await manager.query<{ covered: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM ${links} l JOIN ${problems} p ON p.id = l.problem_id
                       WHERE l.incident_id = $1 AND p.state = ANY($2)) AS covered`,
      [incidentId, OPEN_PROBLEM_STATES],
    );
    return row?.covered === true;
  }

  /** The incidents of a cluster opened in the window that no open problem covers, oldest first. */
  async uncoveredInWindow(
    manager: EntityManager,
    match: CandidateMatch,
    window: { from: Date; to: Date },
  ): Promise<IncidentCopyEntity[]> {
    const links = qualifiedTable(manager.connection.getMetadata(ProblemIncidentLinkEntity));
    const problems = qualifiedTable(manager.connection.getMetadata(ProblemEntity));
    const query = manager
      .getRepository(IncidentCopyEntity)
      .createQueryBuilder('i')
      .where('i.openedAt >= :from AND i.openedAt <= :to', window)
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM ${links} l JOIN ${problems} p ON p.id = l.problem_id
                      WHERE l.incident_id = i.id AND p.state IN (:...open))`,
        { open: OPEN_PROBLEM_STATES },
      );
    if (match.rule === 'same_ci') {
      query.andWhere('i.ciIds @> ARRAY[:ciId]::uuid[]', { ciId: match.ciId });
    } else {
      query.andWhere('i.businessServiceId = :service AND i.category = :category', {
        service: match.businessServiceId,
        category: match.category,
      });
    }
    return query.orderBy('i.openedAt').addOrderBy('i.id').limit(1000).getMany();
  }
}
