import { type EventDefinition } from './event-definition';
import { CAB_MEETING_EVENTS, CabMeetingEventTypes } from './events/change/cab-meeting-events.v1';
import { CHANGE_EVENTS, ChangeEventTypes } from './events/change/change-events.v1';
import { CHANGE_TASK_EVENTS, ChangeTaskEventTypes } from './events/change/change-task-events.v1';
import {
  CHANGE_TEMPLATE_EVENTS,
  ChangeTemplateEventTypes,
} from './events/change/change-template-events.v1';
import {
  CHANGE_WINDOW_EVENTS,
  ChangeWindowEventTypes,
} from './events/change/change-window-events.v1';
import {
  CATALOG_ITEM_EVENTS,
  CatalogItemEventTypes,
} from './events/incident/catalog-item-events.v1';
import { CMDB_EVENTS, CmdbEventTypes } from './events/cmdb/cmdb-events.v1';
import { DIRECTORY_EVENTS, DirectoryEventTypes } from './events/directory/directory-events.v1';
import {
  INCIDENT_EVENTS,
  IncidentEventTypes,
  RequestEventTypes,
} from './events/incident/incident-events.v1';
import { PROBLEM_EVENTS, ProblemEventTypes } from './events/problem/problem-events.v1';
import { REPORT_EVENTS, ReportEventTypes } from './events/report/report-events.v1';
import { SLA_EVENTS, SlaEventTypes } from './events/sla/sla-events.v1';

export type { EventDefinition } from './event-definition';

/**
 * Every event type the platform publishes. The single source for validation, the
 * AsyncAPI document and the event reference in docs/. Each domain lists its own types
 * in `events/<domain>/`.
 */
export const EVENT_CATALOG: readonly EventDefinition[] = [
  ...INCIDENT_EVENTS,
  ...CATALOG_ITEM_EVENTS,
  ...SLA_EVENTS,
  ...PROBLEM_EVENTS,
  ...CHANGE_EVENTS,
  ...CHANGE_TEMPLATE_EVENTS,
  ...CHANGE_TASK_EVENTS,
  ...CHANGE_WINDOW_EVENTS,
  ...CAB_MEETING_EVENTS,
  ...CMDB_EVENTS,
  ...DIRECTORY_EVENTS,
  ...REPORT_EVENTS,
];

/** Event type names by domain, for producers and consumers to refer to without typos. */
export const EventTypes = {
  incident: IncidentEventTypes,
  request: RequestEventTypes,
  catalogItem: CatalogItemEventTypes,
  sla: SlaEventTypes,
  problem: ProblemEventTypes,
  change: ChangeEventTypes,
  changeTemplate: ChangeTemplateEventTypes,
  changeTask: ChangeTaskEventTypes,
  changeWindow: ChangeWindowEventTypes,
  cabMeeting: CabMeetingEventTypes,
  cmdb: CmdbEventTypes,
  directory: DirectoryEventTypes,
  report: ReportEventTypes,
} as const;

export function findEventDefinition(type: string): EventDefinition | undefined {
  return EVENT_CATALOG.find((definition) => definition.type === type);
}
