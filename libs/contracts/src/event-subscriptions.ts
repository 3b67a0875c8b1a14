import { EventTypes } from './event-catalog';
import { ALL_DOMAIN_TOPICS, Topics, type DomainTopic } from './topics';

/** One service consuming one topic, through its consumer group and inbox. */
export interface EventSubscription {
  /** The consuming service; its consumer group is `<KAFKA_CONSUMER_GROUP_PREFIX>.<service>`. */
  service: string;
  topic: DomainTopic;
  /** The event types it acts on (it skips the others); every type of the topic when absent. */
  eventTypes?: readonly string[];
  /** What the service does with them. */
  summary: string;
}

/**
 * What each service consumes: the single declaration the AsyncAPI document's `receive`
 * operations are generated from. Each entry has a consumer in the service's `messaging/`
 * folder whose `@EventPattern` names the topic (a unit test compares the two).
 */
export const EVENT_SUBSCRIPTIONS: readonly EventSubscription[] = [
  {
    service: 'incident',
    topic: Topics.slaEvents,
    eventTypes: [EventTypes.sla.warning, EventTypes.sla.breached],
    summary: 'SLA warnings and breaches escalate the incident or request they are about.',
  },
  {
    service: 'incident',
    topic: Topics.problemEvents,
    eventTypes: [
      EventTypes.problem.incidentsLinked,
      EventTypes.problem.incidentsUnlinked,
      EventTypes.problem.resolved,
      EventTypes.problem.workaroundCommunicated,
      EventTypes.problem.fixCommunicated,
    ],
    summary:
      "Links and unlinks set each incident's problemId; a problem resolved with a fix applied resolves the incidents on hold awaiting it and asks the other open ones to verify (risk accepted: a note only); a communicated workaround or fix is a work note on each open incident linked to it.",
  },
  {
    service: 'incident',
    topic: Topics.changeEvents,
    eventTypes: [EventTypes.change.completed],
    summary:
      'A completed change leaves a work note on each incident and request on hold awaiting it, saying it was implemented and with which close code; the record stays on hold until someone resumes it.',
  },
  {
    service: 'incident',
    topic: Topics.directoryEvents,
    eventTypes: [
      EventTypes.directory.groupCreated,
      EventTypes.directory.groupUpdated,
      EventTypes.directory.groupDeleted,
    ],
    summary:
      "Group events keep the incident service's copy of the directory's groups, which assignments are checked against; a deleted group leaves the copy, so nothing new is assigned to it.",
  },
  {
    service: 'slm',
    topic: Topics.incidentEvents,
    summary: 'Incident and request events start, pause, resume, re-target and stop SLA timers.',
  },
  {
    service: 'problem',
    topic: Topics.incidentEvents,
    summary:
      "Incident events keep problem management's copy of incidents (links, offers of known errors) and feed the candidate rules; request events are skipped.",
  },
  {
    service: 'cmdb',
    topic: Topics.changeEvents,
    eventTypes: [EventTypes.change.completed],
    summary: 'A completed change is recorded in the history of each CI it names.',
  },
  {
    service: 'change',
    topic: Topics.cmdbEvents,
    eventTypes: [EventTypes.cmdb.ciUpdated],
    summary:
      'An update of a CI itself (status, environment, identifiers, attributes) with no change on the CI in implement or review opens an emergency change marked unauthorised, in review with its review task; further updates of the same burst are work notes on it.',
  },
  ...ALL_DOMAIN_TOPICS.map((topic): EventSubscription => ({
    service: 'reporting',
    topic,
    summary: 'Every event goes into the event archive, once.',
  })),
];
