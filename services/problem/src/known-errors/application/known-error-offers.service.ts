import { Inject, Injectable } from '@nestjs/common';
import { canSeeRecord, hasPermission, type Caller, type RecordAccessPolicy } from '@itsm/auth';
import { ProblemException, RECORD_ACCESS_POLICY } from '@itsm/platform';
import { IncidentCopiesRepository } from '../../incident-copies/persistence/incident-copies.repository';
import { type IncidentCopyEntity } from '../../incident-copies/persistence/incident-copy.entity';
import { anyWordQuery, matchedBy, offerScore, textQueryTerms } from '../domain/known-error-offers';
import { KnownErrorsRepository } from '../persistence/known-errors.repository';
import { toSnapshot, type KnownErrorOffer } from './known-error-view';

/**
 * Known errors offered on an incident, from the problem service's copy of it (kept from
 * the incident topic): what the desk should try first while the incident is worked.
 */
@Injectable()
export class KnownErrorOffersService {
  constructor(
    private readonly incidents: IncidentCopiesRepository,
    private readonly knownErrors: KnownErrorsRepository,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  /**
   * The valid known errors matching the incident, best first. An incident the copy does
   * not hold (yet), or one the caller may not see, is answered alike: not found.
   */
  async forIncident(
    incidentId: string,
    caller: Caller,
    limit: number,
  ): Promise<{ items: KnownErrorOffer[] }> {
    const incident = await this.incidents.findById(incidentId);
    if (!incident || !this.sees(caller, incident)) {
      throw new IncidentNotKnownProblem(incidentId);
    }
    const rows = await this.knownErrors.offers({
      ciIds: incident.ciIds,
      category: incident.category,
      anyWord: anyWordQuery(textQueryTerms(incident.title, incident.description)),
      now: new Date(),
      limit,
    });
    return {
      items: rows.map(({ knownError, evidence }) => ({
        ...toSnapshot(knownError),
        matchedBy: matchedBy(evidence),
        score: offerScore(evidence),
      })),
    };
  }

  /**
   * The incident's own read rule: `incident:read` (which every role reading known errors
   * holds, so it is not asked for at the gateway) and the record-level rule on the copy.
   */
  private sees(caller: Caller, incident: IncidentCopyEntity): boolean {
    return (
      hasPermission(caller.roles, 'incident:read') &&
      canSeeRecord(caller, 'incident', incident, this.policy)
    );
  }
}

/** 404 for an incident the problem service does not know (yet), or that the caller may not see. */
export class IncidentNotKnownProblem extends ProblemException {
  constructor(id: string) {
    super(
      404,
      'not-found',
      'Incident not found',
      `There is no incident with id ${id} that you may see. The problem service learns incidents from their events: one opened a moment ago appears within seconds.`,
    );
  }
}
