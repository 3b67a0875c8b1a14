import type { IncidentState } from '@itsm/contracts';
import { decideAlertAction, type LinkedIncident } from './alert-decision';
import { capturedAlert, defaultPolicy } from './alertmanager-payload.fixture';

describe('deciding what an alert does', () => {
  const alertStart = '2026-11-22T04:50:01.967245159Z';
  const firing = capturedAlert({ startsAt: alertStart });
  const resolved = capturedAlert({
    status: 'resolved',
    startsAt: alertStart,
    endsAt: '2026-11-22T05:10:00Z',
  });
  const firingAgain = capturedAlert({ startsAt: '2026-11-22T06:00:00Z' });
  /** Opened for the episode that started at alertStart. */
  const linked = (state: IncidentState): LinkedIncident => ({
    id: 'c6a1f7a0-8f4e-4d7e-9b59-9a0f3b0a1c11',
    state,
    openedAt: new Date('2026-11-22T04:50:32Z'),
  });
  const incidentId = linked('new').id;

  it('opens an incident for a firing alert nothing is linked to yet', () => {
    expect(decideAlertAction(firing, null, defaultPolicy())).toMatchObject({
      kind: 'open',
      incident: { title: 'Disk 95% full on web01', externalRef: 'alertmanager:e5bad21c7d46e087' },
    });
  });

  it.each<IncidentState>(['new', 'in_progress', 'on_hold'])(
    'notes a repeat on a %s incident instead of opening another',
    (state) => {
      expect(decideAlertAction(firing, linked(state), defaultPolicy())).toEqual({
        kind: 'note',
        incidentId,
        note: `Alertmanager: "Disk 95% full on web01" is still firing (since ${alertStart}).`,
      });
    },
  );

  it('notes that an alert fired again when its incident is still open', () => {
    expect(decideAlertAction(firingAgain, linked('in_progress'), defaultPolicy())).toEqual({
      kind: 'note',
      incidentId,
      note: 'Alertmanager: "Disk 95% full on web01" fired again at 2026-11-22T06:00:00Z.',
    });
  });

  it('reopens a resolved incident when its alert fires again, but not on a repeat', () => {
    expect(decideAlertAction(firingAgain, linked('resolved'), defaultPolicy())).toEqual({
      kind: 'reopen',
      incidentId,
      note: 'Alertmanager: "Disk 95% full on web01" fired again at 2026-11-22T06:00:00Z.',
    });
    expect(decideAlertAction(firing, linked('resolved'), defaultPolicy())).toMatchObject({
      kind: 'note',
      incidentId,
      note: expect.stringContaining('although this incident is resolved') as string,
    });
  });

  it.each<IncidentState>(['closed', 'cancelled'])(
    'opens a new incident when the alert of a %s one fires again, and ignores repeats',
    (state) => {
      expect(decideAlertAction(firingAgain, linked(state), defaultPolicy())).toMatchObject({
        kind: 'open',
      });
      expect(decideAlertAction(firing, linked(state), defaultPolicy())).toEqual({
        kind: 'ignore',
        reason: `the alert's incident is ${state}`,
      });
    },
  );

  it('notes a resolved alert on its open incident, or resolves it when so configured', () => {
    const note = 'Alertmanager: "Disk 95% full on web01" resolved at 2026-11-22T05:10:00Z.';
    expect(decideAlertAction(resolved, linked('on_hold'), defaultPolicy())).toEqual({
      kind: 'note',
      incidentId,
      note,
    });
    expect(
      decideAlertAction(
        resolved,
        linked('in_progress'),
        defaultPolicy({ resolveOnResolved: true }),
      ),
    ).toEqual({
      kind: 'resolve',
      incidentId,
      resolutionCode: 'alert_resolved',
      resolutionNotes: note,
    });
  });

  it.each<IncidentState | null>([null, 'resolved', 'closed', 'cancelled'])(
    'ignores a resolved alert when its incident is %s',
    (state) => {
      expect(
        decideAlertAction(
          resolved,
          state ? linked(state) : null,
          defaultPolicy({ resolveOnResolved: true }),
        ),
      ).toEqual({ kind: 'ignore', reason: 'no active incident for this alert' });
    },
  );
});
