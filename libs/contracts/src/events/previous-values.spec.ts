import { previousValues } from './previous-values';

describe("a change event's previous values", () => {
  it('keeps each changed field before the change, instants as ISO 8601 text', () => {
    expect(
      previousValues([
        { field: 'state', oldValue: 'new' },
        { field: 'resolvedAt', oldValue: new Date('2026-12-03T10:00:00.000Z') },
        { field: 'assignee', oldValue: null },
      ]),
    ).toEqual({ state: 'new', resolvedAt: '2026-12-03T10:00:00.000Z', assignee: null });
  });
});
