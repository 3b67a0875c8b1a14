import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  canSeeRecord,
  hasPermission,
  recordScope,
  type Caller,
  type RecordAccessPolicy,
} from '@itsm/auth';
import { EventTypes } from '@itsm/contracts';
import {
  NotFoundProblem,
  ProblemException,
  RECORD_ACCESS_POLICY,
  ValidationProblem,
  decodeCursor,
  pageOf,
  type Page,
  answeringDomainErrors,
} from '@itsm/platform';
import { DataSource } from 'typeorm';
import { IncidentCopiesRepository } from '../../incident-copies/persistence/incident-copies.repository';
import { isFinal, type Problem } from '../domain/problem';
import { RecordConflict, RuleViolation } from '@itsm/domain';
import { ProblemsRepository } from '../persistence/problems.repository';
import { ProblemLinks } from './problem-links';
import { ProblemWriter } from './problem-writer';
import { ProblemsService } from './problems.service';
import { toView, type ProblemView } from './problem-view';

const OPEN_INCIDENT_STATES = ['new', 'in_progress', 'on_hold'];
const FINAL_INCIDENT_STATES = ['closed', 'cancelled'];

export interface IncidentLinkOutcome {
  problem: ProblemView;
  /** Linked by this call (moved here from another problem included). */
  linked: string[];
  /** Already linked to this problem: nothing done. */
  alreadyLinked: string[];
}

export interface LinkedIncidentView {
  id: string;
  number: string;
  title: string;
  state: string;
  linkedBy: string;
  linkedAt: string;
}

export type CommunicationKind = 'workaround' | 'fix';

export interface CommunicationOutcome {
  kind: CommunicationKind;
  text: string;
  /** The open linked incidents the note goes to (as problem management knows them now). */
  openIncidentCount: number;
}

/** Links between a problem and incidents or changes, and the notes it sends to its incidents. */
@Injectable()
export class ProblemLinksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly problemsService: ProblemsService,
    private readonly problems: ProblemsRepository,
    private readonly links: ProblemLinks,
    private readonly writer: ProblemWriter,
    private readonly incidents: IncidentCopiesRepository,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  /**
   * Links incidents in bulk. Every id must be an incident the caller sees (known to
   * problem management); a closed one only a problem manager links. All or nothing.
   */
  async linkIncidents(
    id: string,
    incidentIds: readonly string[],
    caller: Caller,
  ): Promise<IncidentLinkOutcome> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const problem = await this.problemsService.lockVisible(manager, id, caller);
        this.checkOpenForLinks(problem);
        const unique = [...new Set(incidentIds)];
        const copies = await this.incidents.findByIds(manager, unique);
        const seen = new Map(
          copies
            .filter((copy) => canSeeRecord(caller, 'incident', copy, this.policy))
            .map((copy) => [copy.id, copy]),
        );
        const unknown = unique.filter((incidentId) => !seen.has(incidentId));
        if (unknown.length > 0) {
          throw new ValidationProblem([
            {
              field: 'incidentIds',
              message: `not incidents known to problem management: ${unknown.join(', ')}`,
            },
          ]);
        }
        const closed = unique.filter((incidentId) =>
          FINAL_INCIDENT_STATES.includes(seen.get(incidentId)?.state ?? ''),
        );
        if (closed.length > 0 && !hasPermission(caller.roles, 'problem:manage')) {
          throw new ProblemException(
            403,
            'forbidden',
            'Forbidden',
            `Only a problem manager links closed incidents: ${closed.join(', ')}.`,
            { incidentIds: closed },
          );
        }
        const outcome = await this.links.link(
          manager,
          problem,
          unique,
          caller.username,
          new Date(),
        );
        return { ...outcome, problem: toView(outcome.problem) };
      }),
    );
  }

  async unlinkIncident(id: string, incidentId: string, caller: Caller): Promise<void> {
    await answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const problem = await this.problemsService.lockVisible(manager, id, caller);
        this.checkOpenForLinks(problem);
        const { unlinked } = await this.links.unlink(manager, problem, [incidentId]);
        if (unlinked.length === 0) {
          throw new NotFoundProblem('Linked incident', incidentId);
        }
      }),
    );
  }

  /** The incidents linked to the problem that the caller sees, in link order. */
  async listIncidents(
    id: string,
    caller: Caller,
    page: { cursor?: string; limit: number },
  ): Promise<Page<LinkedIncidentView>> {
    await this.problemsService.visible(id, caller);
    const after = page.cursor ? decodeCursor(page.cursor, { id: 'uuid' }).id : undefined;
    const rows = await this.problems.listLinkedIncidents(
      id,
      recordScope(caller, 'incident', this.policy),
      after,
      page.limit,
    );
    return pageOf(
      rows,
      page.limit,
      (row) => row,
      (row) => ({ id: row.id }),
    );
  }

  async linkChanges(
    id: string,
    changeIds: readonly string[],
    caller: Caller,
  ): Promise<ProblemView> {
    return this.changeLinks(id, caller, (current) => [...new Set([...current, ...changeIds])]);
  }

  async unlinkChange(id: string, changeId: string, caller: Caller): Promise<ProblemView> {
    return this.changeLinks(id, caller, (current) => {
      if (!current.includes(changeId)) throw new NotFoundProblem('Linked change', changeId);
      return current.filter((linked) => linked !== changeId);
    });
  }

  /**
   * Communicate the workaround or the fix: one note, written by the incident service on
   * every open incident linked to the problem (the problem's own text unless one is given).
   */
  async communicate(
    id: string,
    kind: CommunicationKind,
    text: string | undefined,
    caller: Caller,
  ): Promise<CommunicationOutcome> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const problem = await this.problemsService.lockVisible(manager, id, caller);
        const field = kind === 'workaround' ? 'workaround' : 'fixNotes';
        const message = text?.trim() || problem[field];
        if (!message) {
          throw new RuleViolation(
            'text',
            `is required: ${problem.number} has no ${kind === 'workaround' ? 'workaround' : 'fix notes'} to communicate`,
          );
        }
        const openIncidentCount = await this.problems.countLinkedIncidentsIn(
          manager,
          problem.id,
          OPEN_INCIDENT_STATES,
        );
        const now = new Date();
        await this.writer.commit(manager, problem, problem, caller.username, now, [
          {
            kind: 'work_note',
            text: `${kind === 'workaround' ? 'Workaround' : 'Fix'} communicated to the open linked incidents (${openIncidentCount}): ${message}`,
            author: caller.username,
          },
        ]);
        await this.writer.announce(
          manager,
          problem,
          kind === 'workaround'
            ? EventTypes.problem.workaroundCommunicated
            : EventTypes.problem.fixCommunicated,
          { text: message, author: caller.username },
        );
        return { kind, text: message, openIncidentCount };
      }),
    );
  }

  private async changeLinks(
    id: string,
    caller: Caller,
    next: (current: string[]) => string[],
  ): Promise<ProblemView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const problem = await this.problemsService.lockVisible(manager, id, caller);
        this.checkOpenForLinks(problem);
        const changeIds = next(problem.changeIds);
        const added = changeIds.filter((changeId) => !problem.changeIds.includes(changeId));
        const removed = problem.changeIds.filter((changeId) => !changeIds.includes(changeId));
        const now = new Date();
        const stored = await this.writer.commit(
          manager,
          problem,
          { ...problem, changeIds },
          caller.username,
          now,
        );
        if (added.length > 0) {
          await this.writer.announce(manager, stored, EventTypes.problem.changesLinked, {
            changeIds: added,
          });
        }
        if (removed.length > 0) {
          await this.writer.announce(manager, stored, EventTypes.problem.changesUnlinked, {
            changeIds: removed,
          });
        }
        return toView(stored);
      }),
    );
  }

  private checkOpenForLinks(problem: Problem): void {
    if (isFinal(problem)) {
      throw new RecordConflict(
        `${problem.number} is ${problem.state}; links of a closed or cancelled problem do not change`,
      );
    }
  }
}
