import {
  DEFAULT_PRIORITY_MATRIX,
  parsePriorityMatrix,
  priorityFor,
  type Impact,
  type Urgency,
} from './priority-matrix';

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

describe('a configured priority matrix', () => {
  it('changes the cells it names and keeps the default elsewhere', () => {
    const matrix = parsePriorityMatrix('1x2=P1, 3x3 = p4');
    expect(priorityFor(1, 2, matrix)).toBe('P1');
    expect(priorityFor(3, 3, matrix)).toBe('P4');
    expect(priorityFor(2, 2, matrix)).toBe('P3');
  });

  it('refuses a cell it cannot read, naming it', () => {
    expect(() => parsePriorityMatrix('1x4=P1')).toThrow('"1x4=P1"');
    expect(() => parsePriorityMatrix('1x1=P9')).toThrow('"1x1=P9"');
  });
});
