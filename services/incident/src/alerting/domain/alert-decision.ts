import type { IncidentState } from '@itsm/contracts';
import type { AlertmanagerAlert } from './alertmanager-payload';
import {
  alertTitle,
  incidentDraftFor,
  type AlertIncidentDraft,
  type AlertPolicy,
} from './alert-policy';

/** The incident most recently opened for an alert's fingerprint (by its external reference). */
export interface LinkedIncident {
  id: string;
  state: IncidentState;
  openedAt: Date;
}

/** The resolution code of an incident resolved because its alert resolved. */
export const ALERT_RESOLUTION_CODE = 'alert_resolved';

/**
 * What to do with one alert of a notification; the application layer executes it as is.
 * Notes are work notes (internal journal entries).
 */
export type AlertAction =
  | { kind: 'open'; incident: AlertIncidentDraft }
  | { kind: 'note'; incidentId: string; note: string }
  | { kind: 'reopen'; incidentId: string; note: string }
  | { kind: 'resolve'; incidentId: string; resolutionCode: string; resolutionNotes: string }
  | { kind: 'ignore'; reason: string };

const ACTIVE_STATES: readonly IncidentState[] = ['new', 'in_progress', 'on_hold'];
const FINAL_STATES: readonly IncidentState[] = ['closed', 'cancelled'];

/**
 * The decision table (docs/integrations/alertmanager.md):
 *
 * | alert    | linked incident                 | action                              |
 * | -------- | ------------------------------- | ----------------------------------- |
 * | firing   | none                            | open                                |
 * | firing   | new, in_progress, on_hold       | note (still firing / fired again)   |
 * | firing   | resolved, same episode          | note (still firing)                 |
 * | firing   | resolved, new episode           | reopen with a note                  |
 * | firing   | closed, cancelled, same episode | ignore                              |
 * | firing   | closed, cancelled, new episode  | open a new incident                 |
 * | resolved | new, in_progress, on_hold       | note, or resolve if so configured   |
 * | resolved | none, resolved, closed, cancel. | ignore                              |
 *
 * An episode is one firing of the alert, from its `startsAt` to its resolution. The
 * linked incident was opened during the episode that raised it, so an alert starting
 * after the incident was opened is a new episode. This keeps an agent's decision: an
 * incident resolved or cancelled while its alert still fires is not reopened or
 * duplicated by Alertmanager's repeat notifications of that same firing.
 */
export function decideAlertAction(
  alert: AlertmanagerAlert,
  linked: LinkedIncident | null,
  policy: AlertPolicy,
  alertmanagerUrl?: string,
): AlertAction {
  const name = alertTitle(alert);
  if (alert.status === 'resolved') {
    if (!linked || !ACTIVE_STATES.includes(linked.state))
      return { kind: 'ignore', reason: 'no active incident for this alert' };
    const resolvedNote = `Alertmanager: "${name}" resolved at ${alert.endsAt}.`;
    return policy.resolveOnResolved
      ? {
          kind: 'resolve',
          incidentId: linked.id,
          resolutionCode: ALERT_RESOLUTION_CODE,
          resolutionNotes: resolvedNote,
        }
      : { kind: 'note', incidentId: linked.id, note: resolvedNote };
  }

  const open = (): AlertAction => ({
    kind: 'open',
    incident: incidentDraftFor(alert, policy, alertmanagerUrl),
  });
  if (!linked) return open();
  const newEpisode = Date.parse(alert.startsAt) > linked.openedAt.getTime();
  if (FINAL_STATES.includes(linked.state))
    return newEpisode
      ? open()
      : { kind: 'ignore', reason: `the alert's incident is ${linked.state}` };
  const firedAgainNote = `Alertmanager: "${name}" fired again at ${alert.startsAt}.`;
  if (linked.state === 'resolved')
    return newEpisode
      ? { kind: 'reopen', incidentId: linked.id, note: firedAgainNote }
      : {
          kind: 'note',
          incidentId: linked.id,
          note: `Alertmanager: "${name}" is still firing (since ${alert.startsAt}) although this incident is resolved.`,
        };
  return {
    kind: 'note',
    incidentId: linked.id,
    note: newEpisode
      ? firedAgainNote
      : `Alertmanager: "${name}" is still firing (since ${alert.startsAt}).`,
  };
}
