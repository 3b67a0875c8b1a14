import { randomUUID } from 'node:crypto';
import { incidentSnapshot } from '@itsm/testing';
import { PROJECTIONS, projectionNamed, projectionOf } from './projection-catalog';
import { parseEventType, project } from './projection';
import { SERVICE_RECORDS } from './service-records.projection';

describe('which projection reads an event', () => {
  it.each([
    ['itsm.incident.created.v1', 'service_records'],
    ['itsm.request.fulfilled.v1', 'service_records'],
    ['itsm.problem.resolved.v1', 'problems'],
    ['itsm.known_error.updated.v1', 'known_errors'],
    ['itsm.change.closed.v1', 'changes'],
    ['itsm.sla.breached.v1', 'sla_timers'],
    ['itsm.ci.retired.v1', 'cmdb'],
    // A later schema version of a family still belongs to its projection (which skips it).
    ['itsm.incident.created.v2', 'service_records'],
  ])('%s goes to %s', (type, name) => {
    expect(projectionOf(type)?.name).toBe(name);
  });

  it.each([
    'itsm.problem_task.created.v1',
    'itsm.ci_class.created.v1',
    'itsm.relationship.created.v1',
    'itsm.user.created.v1',
    'not an event type',
  ])('%s goes to none', (type) => {
    expect(projectionOf(type)).toBeUndefined();
  });

  it('names each projection once, with its own lock', () => {
    expect(new Set(PROJECTIONS.map((projection) => projection.name)).size).toBe(PROJECTIONS.length);
    expect(new Set(PROJECTIONS.map((projection) => projection.lockId)).size).toBe(
      PROJECTIONS.length,
    );
    expect(projectionNamed('service_records')).toBe(SERVICE_RECORDS);
  });
});

describe('schema versions', () => {
  const record = incidentSnapshot({ id: randomUUID() });
  const data = { incident: record, changedFields: [], previous: {} };

  it('reads a type version it has a reader for', () => {
    expect(
      project(SERVICE_RECORDS, { type: 'itsm.incident.created.v1', time: record.updatedAt, data }),
    ).toMatchObject({
      outcome: 'applied',
      fact: { record_id: record.id },
    });
  });

  it('skips a version of its family it has no reader for, rather than guessing', () => {
    expect(
      project(SERVICE_RECORDS, { type: 'itsm.incident.created.v2', time: record.updatedAt, data }),
    ).toEqual({
      outcome: 'skipped',
    });
  });

  it('ignores the events of other families', () => {
    expect(
      project(SERVICE_RECORDS, { type: 'itsm.change.created.v1', time: record.updatedAt, data }),
    ).toEqual({
      outcome: 'ignored',
    });
  });

  it('takes a type name apart', () => {
    expect(parseEventType('itsm.known_error.created.v12')).toEqual({
      family: 'known_error',
      happening: 'created',
      version: 12,
    });
    expect(parseEventType('itsm.incident.created')).toBeNull();
  });
});
