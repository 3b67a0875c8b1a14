import { Injectable } from '@nestjs/common';
import { type Caller } from '@itsm/auth';
import { EventTypes } from '@itsm/contracts';
import { NotFoundProblem } from '@itsm/platform';
import { ChangeWriter } from '../../changes/application/change-writer';
import { type ChangeView } from '../../changes/application/change-view';
import { ChangesService } from '../../changes/application/changes.service';
import {
  linkIncidents,
  linkProblems,
  unlinkIncident,
  unlinkProblem,
  type IncidentRelation,
} from '../domain/change-links';

/**
 * Links from a change to the incidents it fixes or caused and to the problems it fixes:
 * each a change of the change, with its history, and an event saying what one call
 * linked or unlinked. Ids are taken as given: incidents and problems live in other services.
 */
@Injectable()
export class ChangeLinksService {
  constructor(
    private readonly changes: ChangesService,
    private readonly writer: ChangeWriter,
  ) {}

  linkIncidents(
    id: string,
    incidentIds: readonly string[],
    relation: IncidentRelation,
    caller: Caller,
  ): Promise<ChangeView> {
    return this.changes.modify(id, undefined, async (manager, current, now) => {
      const stored = await this.writer.commit(
        manager,
        current,
        linkIncidents(current, incidentIds, relation),
        caller.username,
        now,
      );
      await this.writer.announce(manager, stored, EventTypes.change.incidentsLinked, {
        incidentIds: [...new Set(incidentIds.map((incident) => incident.toLowerCase()))],
        relation,
      });
      return stored;
    });
  }

  unlinkIncident(id: string, incidentId: string, caller: Caller): Promise<ChangeView> {
    return this.changes.modify(id, undefined, async (manager, current, now) => {
      const next = unlinkIncident(current, incidentId);
      if (!next) throw new NotFoundProblem('Incident link', incidentId);
      const stored = await this.writer.commit(manager, current, next, caller.username, now);
      await this.writer.announce(manager, stored, EventTypes.change.incidentsUnlinked, {
        incidentIds: [incidentId.toLowerCase()],
      });
      return stored;
    });
  }

  linkProblems(id: string, problemIds: readonly string[], caller: Caller): Promise<ChangeView> {
    return this.changes.modify(id, undefined, async (manager, current, now) => {
      const stored = await this.writer.commit(
        manager,
        current,
        linkProblems(current, problemIds),
        caller.username,
        now,
      );
      await this.writer.announce(manager, stored, EventTypes.change.problemsLinked, {
        problemIds: [...new Set(problemIds.map((problem) => problem.toLowerCase()))],
      });
      return stored;
    });
  }

  unlinkProblem(id: string, problemId: string, caller: Caller): Promise<ChangeView> {
    return this.changes.modify(id, undefined, async (manager, current, now) => {
      const next = unlinkProblem(current, problemId);
      if (!next) throw new NotFoundProblem('Problem link', problemId);
      const stored = await this.writer.commit(manager, current, next, caller.username, now);
      await this.writer.announce(manager, stored, EventTypes.change.problemsUnlinked, {
        problemIds: [problemId.toLowerCase()],
      });
      return stored;
    });
  }
}
