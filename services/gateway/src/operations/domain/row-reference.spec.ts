import { rowRef, rowReference } from './row-reference';

describe('a row reference', () => {
  const services = ['gateway', 'incident', 'slm'];

  it('is an id alone, or the ref the lists give (service and id)', () => {
    expect(rowReference('42', services)).toEqual({ id: '42' });
    expect(rowReference(rowRef('incident', '42'), services)).toEqual({
      id: '42',
      service: 'incident',
    });
  });

  it('is nothing else: no other service, no id that is not a row number', () => {
    for (const text of ['cmdb-42', 'incident-0', 'incident-', '-42', '042', 'incident-4x', ''])
      expect(rowReference(text, services)).toBeUndefined();
    expect(rowReference('1'.repeat(20), services)).toBeUndefined();
  });
});
