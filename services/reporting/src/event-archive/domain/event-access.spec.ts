import { ALL_DOMAIN_TOPICS, EventTypes, Topics } from '@itsm/contracts';
import { cloudEvent, incidentSnapshot } from '@itsm/testing';
import { familyOf, governedRecordsOf, recordAccessOf } from './event-access';

describe('which events a record family holds, and which records decide their visibility', () => {
  it('gives every topic a family, and tells requests from incidents on their shared topic', () => {
    for (const topic of ALL_DOMAIN_TOPICS) expect(familyOf(topic, 'any')).toBeDefined();
    expect(familyOf(Topics.incidentEvents, EventTypes.incident.created)).toBe('incident');
    expect(familyOf(Topics.incidentEvents, EventTypes.request.fulfilled)).toBe('request');
    // A later version of a request event is still a request's: never readable as an incident's.
    expect(familyOf(Topics.incidentEvents, 'itsm.request.fulfilled.v2')).toBe('request');
    expect(familyOf(Topics.slaEvents, EventTypes.sla.breached)).toBe('sla');
    expect(() => familyOf('itsm.unknown.events.v1', 'x')).toThrow(/no record family/);
  });

  it('governs an SLA event by the record its timer measures, a relationship by both CIs', () => {
    const sla = cloudEvent(EventTypes.sla.met, '/itsm/slm', 't', {
      timer: { recordId: 'r1', recordType: 'request' },
    });
    expect(governedRecordsOf('sla', sla)).toEqual({ type: 'request', ids: ['r1'] });
    const relationship = cloudEvent(EventTypes.cmdb.relationshipCreated, '/itsm/cmdb', 'x', {
      relationship: { sourceId: 'a', targetId: 'b' },
    });
    expect(governedRecordsOf('cmdb', relationship)).toEqual({ type: 'ci', ids: ['a', 'b'] });
    expect(governedRecordsOf('problem', relationship)).toBeNull();
  });

  it("keeps a record's ownership, and a CI's restriction (open in events from before it existed)", () => {
    const record = incidentSnapshot({ assignmentGroup: 'network', assignee: 'alex', version: 3 });
    const event = cloudEvent(EventTypes.incident.assigned, '/itsm/incident', record.id, {
      incident: record,
    });
    expect(recordAccessOf('incident', event)).toMatchObject({
      recordId: record.id,
      recordType: 'incident',
      requester: record.requester,
      assignmentGroup: 'network',
      assignee: 'alex',
      version: 3,
    });
    const ci = cloudEvent(EventTypes.cmdb.ciCreated, '/itsm/cmdb', 'c', {
      ci: { id: 'c', ownerGroup: 'security', version: 1 },
    });
    expect(recordAccessOf('cmdb', ci)).toMatchObject({ recordType: 'ci', restricted: false });
  });

  it('governs problem and task events by the problem, and leaves known errors to every reader', () => {
    const problem = cloudEvent(EventTypes.problem.assigned, '/itsm/problem', 'p1', {
      problem: { id: 'p1', openedBy: 'pat', assignmentGroup: 'dba', assignee: null, version: 4 },
    });
    expect(governedRecordsOf('problem', problem)).toEqual({ type: 'problem', ids: ['p1'] });
    expect(recordAccessOf('problem', problem)).toMatchObject({
      recordId: 'p1',
      recordType: 'problem',
      requester: 'pat',
      assignmentGroup: 'dba',
      version: 4,
    });
    const task = cloudEvent(EventTypes.problem.taskCreated, '/itsm/problem', 't1', {
      task: { id: 't1', problemId: 'p1' },
    });
    expect(governedRecordsOf('problem', task)).toEqual({ type: 'problem', ids: ['p1'] });
    expect(recordAccessOf('problem', task)).toBeNull();
    const knownError = cloudEvent(EventTypes.problem.knownErrorCreated, '/itsm/problem', 'k1', {
      knownError: { id: 'k1' },
    });
    expect(governedRecordsOf('problem', knownError)).toBeNull();
  });
});
