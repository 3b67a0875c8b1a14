import { EventTypes } from '@itsm/contracts';
import { changeSnapshot, cloudEvent, incidentSnapshot, problemSnapshot } from '@itsm/testing';
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

  it('reads a problem, whoever opened it standing where a requester does', () => {
    const problem = problemSnapshot({
      number: 'PRB0000042',
      state: 'assess',
      version: 2,
      openedBy: 'pam',
      assignmentGroup: 'database',
      assignee: null,
    });
    const event = cloudEvent(EventTypes.problem.stateChanged, '/itsm/problem', problem.id, {
      problem,
      changedFields: ['state'],
      previous: { state: 'new' },
    });
    expect(liveChangeOf(event)).toEqual({
      change: expect.objectContaining({
        recordType: 'problem',
        number: 'PRB0000042',
        state: 'assess',
        event: 'state_changed',
      }) as unknown,
      ownership: { requester: 'pam', assignmentGroup: 'database', assignee: null },
    });
  });

  it('reads a change, which no record-level rule governs', () => {
    const change = changeSnapshot({ number: 'CHG0000007', state: 'scheduled', version: 5 });
    const event = cloudEvent(EventTypes.change.stateChanged, '/itsm/change', change.id, {
      change,
      changedFields: ['state'],
      previous: { state: 'authorize' },
    });
    expect(liveChangeOf(event)).toEqual({
      change: expect.objectContaining({
        recordType: 'change',
        number: 'CHG0000007',
        version: 5,
      }) as unknown,
      ownership: null,
    });
  });

  it('sends nothing for the other events of those topics: known errors, tasks', () => {
    const problem = problemSnapshot();
    for (const type of [EventTypes.problem.knownErrorCreated, EventTypes.problem.taskCreated]) {
      expect(
        liveChangeOf(cloudEvent(type, '/itsm/problem', problem.id, { problem })),
      ).toBeUndefined();
    }
  });
});
