import { changeIncident, incidentNumber, openIncident } from './incident';
import { DEFAULT_PRIORITY_MATRIX, priorityFor, type Impact, type Urgency } from './priority-matrix';

describe('incident numbers', () => {
  it('are INC followed by seven digits', () => {
    expect(incidentNumber(1001)).toBe('INC0001001');
    expect(incidentNumber(9_999_999)).toBe('INC9999999');
  });

  it('refuse a sequence that does not fit rather than wrapping', () => {
    expect(() => incidentNumber(10_000_000)).toThrow(RangeError);
    expect(() => incidentNumber(0)).toThrow(RangeError);
  });
});

describe('the default priority matrix', () => {
  const expected: [Impact, Urgency, string][] = [
    [1, 1, 'P1'],
    [1, 2, 'P2'],
    [2, 1, 'P2'],
    [1, 3, 'P3'],
    [2, 2, 'P3'],
    [3, 1, 'P3'],
    [2, 3, 'P4'],
    [3, 2, 'P4'],
    [3, 3, 'P5'],
  ];
  it.each(expected)('impact %i x urgency %i is %s', (impact, urgency, priority) => {
    expect(priorityFor(impact, urgency, DEFAULT_PRIORITY_MATRIX)).toBe(priority);
  });
});

describe('opening an incident', () => {
  it('starts new, at version 1, with the priority from the matrix and a trimmed title', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const incident = openIncident(
      {
        title: '  Mail is down ',
        description: 'No mail since 9:00',
        impact: 1,
        urgency: 2,
        requester: 'agent',
        source: 'portal',
      },
      { id: 'a1b2', sequence: 1001 },
      now,
    );
    expect(incident).toMatchObject({
      number: 'INC0001001',
      title: 'Mail is down',
      state: 'new',
      priority: 'P2',
      version: 1,
    });
    expect(incident.openedAt).toEqual(now);
  });
});

describe('changing an incident', () => {
  const opened = openIncident(
    {
      title: 'Mail is down',
      description: '',
      impact: 3,
      urgency: 3,
      requester: 'agent',
      source: 'portal',
    },
    { id: 'a1', sequence: 1 },
    new Date('2026-11-22T10:00:00Z'),
  );
  const later = new Date('2026-11-22T11:00:00Z');

  it('recomputes the priority, bumps the version and names every changed field', () => {
    const { incident, changedFields } = changeIncident(
      opened,
      { impact: 1, urgency: 1, title: 'Mail is down' },
      later,
    );
    expect(incident).toMatchObject({ priority: 'P1', version: 2, updatedAt: later });
    expect(changedFields).toEqual(['impact', 'urgency', 'priority']);
  });

  it('changes nothing, not even the version, when the values are the same', () => {
    const result = changeIncident(opened, { title: ' Mail is down ', urgency: 3 }, later);
    expect(result.changedFields).toEqual([]);
    expect(result.incident).toBe(opened);
  });
});
