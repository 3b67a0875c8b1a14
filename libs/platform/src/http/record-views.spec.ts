import { historyView, journalView } from './record-views';

describe('journal and history as the API shows them', () => {
  const at = new Date('2026-12-03T10:15:00.000Z');

  it('shows a journal entry with its time as ISO 8601 text', () => {
    expect(
      journalView({ id: 'j1', kind: 'work_note', text: 'Restarted', author: 'alex', at }),
    ).toEqual({
      id: 'j1',
      kind: 'work_note',
      text: 'Restarted',
      author: 'alex',
      at: '2026-12-03T10:15:00.000Z',
    });
  });

  it('shows a history entry with its values as they were stored', () => {
    expect(
      historyView({ field: 'ciIds', oldValue: [], newValue: ['c1'], actor: 'system', at }),
    ).toEqual({
      field: 'ciIds',
      oldValue: [],
      newValue: ['c1'],
      actor: 'system',
      at: '2026-12-03T10:15:00.000Z',
    });
  });
});
