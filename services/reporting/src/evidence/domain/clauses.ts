import { EventTypes } from '@itsm/contracts';
import { type EventFamily } from '../../event-archive/domain/event-access';

/** One kind of event an auditor looks for under a clause, and what it shows. */
export interface KeyEvidence {
  types: readonly string[];
  shows: string;
}

/**
 * An ISO/IEC 20000-1:2018 clause the platform runs a process for: the record families whose
 * events show the process ran, and the events that matter most to an auditor.
 */
export interface ClauseDefinition {
  clause: string;
  title: string;
  /** What the evidence of a period shows, in words. */
  shows: string;
  families: readonly EventFamily[];
  keyEvidence: readonly KeyEvidence[];
}

const all = (types: Record<string, string>): string[] => Object.values(types);

/** The clauses the platform covers (see PRODUCT.md, "Services and what each owns"). */
export const CLAUSES: readonly ClauseDefinition[] = [
  {
    clause: '8.2.6',
    title: 'Configuration management',
    shows:
      'Configuration items, their classes and relationships recorded and kept under control: every creation, change and retirement, with who or which discovery source made it.',
    families: ['cmdb'],
    keyEvidence: [
      {
        types: [EventTypes.cmdb.ciCreated, EventTypes.cmdb.ciUpdated, EventTypes.cmdb.ciRetired],
        shows: 'CIs recorded, changed and retired, each with the actor or discovery source',
      },
      {
        types: [EventTypes.cmdb.relationshipCreated, EventTypes.cmdb.relationshipDeleted],
        shows: 'relationships between CIs recorded and removed',
      },
      {
        types: [EventTypes.cmdb.ciClassCreated, EventTypes.cmdb.ciClassUpdated],
        shows: 'the CI types (classes) and their attributes defined',
      },
    ],
  },
  {
    clause: '8.3.3',
    title: 'Service level management',
    shows:
      'Service level targets measured on every incident and request they apply to: timers started, paused, warned, met or breached.',
    families: ['sla'],
    keyEvidence: [
      { types: [EventTypes.sla.started], shows: 'targets applied to records' },
      {
        types: [EventTypes.sla.met, EventTypes.sla.breached],
        shows: 'targets met and breached (the compliance of the period)',
      },
      {
        types: [EventTypes.sla.warning],
        shows: 'warnings before a breach, for action to be taken in time',
      },
      {
        types: [EventTypes.sla.paused, EventTypes.sla.resumed, EventTypes.sla.retargeted],
        shows: 'the clock paused, resumed and re-targeted as the record changed',
      },
    ],
  },
  {
    clause: '8.5.1',
    title: 'Change management',
    shows:
      'Changes raised, assessed for risk, authorised by their approvers or the CAB, scheduled, implemented and reviewed, within change windows.',
    families: ['change'],
    keyEvidence: [
      { types: [EventTypes.change.created], shows: 'requests for change recorded' },
      { types: [EventTypes.change.riskAssessed], shows: 'risk assessed, with its reasons' },
      {
        types: [
          EventTypes.change.approvalDecided,
          EventTypes.change.authorized,
          EventTypes.change.rejected,
        ],
        shows:
          'approval decisions (each approver, comment, CAB meeting) and the resulting authorisation or rejection',
      },
      {
        types: all(EventTypes.cabMeeting),
        shows: 'CAB meetings held',
      },
      {
        types: [
          EventTypes.change.implementationStarted,
          EventTypes.change.completed,
          EventTypes.change.gateDecided,
        ],
        shows: 'implementation started and completed with its close code; pipeline gates',
      },
      {
        types: [EventTypes.change.stateChanged, EventTypes.change.closed],
        shows: 'post-implementation reviews (the `review` state) and closure with review notes',
      },
      {
        types: all(EventTypes.changeWindow),
        shows: 'maintenance windows, blackouts and freezes defined and enforced',
      },
    ],
  },
  {
    clause: '8.6.1',
    title: 'Incident management',
    shows:
      'Incidents recorded, classified, prioritised, assigned, escalated, resolved and closed, and reopened where the resolution did not hold.',
    families: ['incident'],
    keyEvidence: [
      { types: [EventTypes.incident.created], shows: 'incidents recorded' },
      {
        types: [EventTypes.incident.priorityChanged, EventTypes.incident.majorDeclared],
        shows: 'prioritisation and major incidents declared',
      },
      { types: [EventTypes.incident.assigned], shows: 'assignment and escalation to groups' },
      {
        types: [EventTypes.incident.resolved, EventTypes.incident.closed],
        shows: 'resolution and closure',
      },
      { types: [EventTypes.incident.reopened], shows: 'incidents reopened' },
    ],
  },
  {
    clause: '8.6.2',
    title: 'Service request management',
    shows: 'Service requests recorded, assigned, fulfilled and closed.',
    families: ['request'],
    keyEvidence: [
      { types: [EventTypes.request.created], shows: 'requests recorded' },
      { types: [EventTypes.request.assigned], shows: 'requests assigned' },
      {
        types: [EventTypes.request.fulfilled, EventTypes.request.closed],
        shows: 'requests fulfilled and closed',
      },
    ],
  },
  {
    clause: '8.6.3',
    title: 'Problem management',
    shows:
      'Problems identified from incidents, investigated to a root cause, worked around or fixed, and known errors recorded.',
    families: ['problem'],
    keyEvidence: [
      { types: [EventTypes.problem.created], shows: 'problems recorded' },
      {
        types: [EventTypes.problem.incidentsLinked, EventTypes.problem.changesLinked],
        shows: 'incidents and changes linked to problems',
      },
      {
        types: [EventTypes.problem.workaroundCommunicated, EventTypes.problem.fixCommunicated],
        shows: 'workarounds and fixes communicated',
      },
      {
        types: [EventTypes.problem.knownErrorCreated, EventTypes.problem.knownErrorUpdated],
        shows: 'known errors recorded and kept up to date',
      },
      {
        types: [EventTypes.problem.resolved, EventTypes.problem.closed],
        shows: 'problems resolved and closed',
      },
    ],
  },
];

export const CLAUSE_IDS: readonly string[] = CLAUSES.map((definition) => definition.clause);

export function clauseDefinition(clause: string): ClauseDefinition | undefined {
  return CLAUSES.find((definition) => definition.clause === clause);
}
