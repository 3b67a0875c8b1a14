import { EventTypes } from '@itsm/contracts';
import { cloudEvent, incidentSnapshot } from '@itsm/testing';
import { liveChangeOf } from './live-change';

describe('liveChangeOf', () => {
  it('tells which record moved, to what state and version, and what happened, without its content', () => {
    const incident = incidentSnapshot({
      number: 'INC0001234',
      state: 'in_progress',
      version: 3,
      requester: 'rita',
      assignmentGroup: 'network',
      assignee: 'alex',
      title: 'Payroll server down',
    });
    const event = cloudEvent(EventTypes.incident.stateChanged, '/itsm/incident', incident.id, {
      incident,
      changedFields: ['state'],
      previous: { state: 'new' },
    });
    expect(liveChangeOf(event)).toEqual({
      change: {
        recordType: 'incident',
        id: incident.id,
        number: 'INC0001234',
        state: 'in_progress',
        version: 3,
        event: 'state_changed',
        changedFields: ['state'],
        at: event.time,
      },
      ownership: { requester: 'rita', assignmentGroup: 'network', assignee: 'alex' },
    });
    expect(JSON.stringify(liveChangeOf(event)?.change)).not.toContain('Payroll');
  });

  it('reads a request from its own key', () => {
    const request = incidentSnapshot({ type: 'request', number: 'REQ0000007', state: 'submitted' });
    const event = cloudEvent(EventTypes.request.created, '/itsm/incident', request.id, {
      request,
      changedFields: [],
      previous: {},
    });
    expect(liveChangeOf(event)?.change).toMatchObject({ recordType: 'request', event: 'created' });
  });

  it('sends nothing for an event that lacks what the record-level rule reads', () => {
    const { assignmentGroup: _group, ...withoutGroup } = incidentSnapshot();
    const { requester: _requester, ...withoutRequester } = incidentSnapshot();
    for (const incident of [withoutGroup, withoutRequester]) {
      const event = cloudEvent(EventTypes.incident.updated, '/itsm/incident', incident.id, {
        incident,
        changedFields: ['title'],
        previous: {},
      });
      expect(liveChangeOf(event)).toBeUndefined();
    }
  });

  it('ignores events about anything else, or whose record is not of the type named', () => {
    const incident = incidentSnapshot();
    expect(
      liveChangeOf(cloudEvent('itsm.sla.breached.v1', '/itsm/slm', incident.id, { incident })),
    ).toBeUndefined();
    expect(
      liveChangeOf(
        cloudEvent(EventTypes.request.updated, '/itsm/incident', incident.id, {
          request: incident,
          changedFields: [],
          previous: {},
        }),
      ),
    ).toBeUndefined();
  });
});
