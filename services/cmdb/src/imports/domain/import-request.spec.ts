import { restrictionRefusals } from './import-request';

describe('who may restrict CIs through an import', () => {
  const items = [
    { class: 'server', name: 'a' },
    { class: 'server', name: 'b', restricted: false },
  ];

  it('is who may change CIs: a feed with cmdb:import alone is refused, naming the item', () => {
    expect(restrictionRefusals(items, false)).toEqual([
      { field: 'items[1].restricted', message: 'needs the permission cmdb:write' },
    ]);
    expect(restrictionRefusals(items, true)).toEqual([]);
  });
});
