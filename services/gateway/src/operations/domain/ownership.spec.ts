import { ownerOf } from './ownership';

describe('the owner of an id asked of every service', () => {
  it('is the one service that has it, naming those that did not answer', () => {
    expect(
      ownerOf([
        { service: 'gateway', outcome: 'absent' },
        { service: 'incident', outcome: 'found' },
        { service: 'cmdb', outcome: 'unreachable' },
      ]),
    ).toEqual({ kind: 'owned', service: 'incident', unreachable: ['cmdb'] });
  });

  it('is nobody when none has it, naming those that did not answer', () => {
    expect(
      ownerOf([
        { service: 'gateway', outcome: 'absent' },
        { service: 'cmdb', outcome: 'unreachable' },
      ]),
    ).toEqual({ kind: 'none', unreachable: ['cmdb'] });
    expect(ownerOf([{ service: 'gateway', outcome: 'absent' }])).toEqual({
      kind: 'none',
      unreachable: [],
    });
  });

  it('is ambiguous when two services have it: ids are each service’s own', () => {
    expect(
      ownerOf([
        { service: 'incident', outcome: 'found' },
        { service: 'problem', outcome: 'found' },
        { service: 'slm', outcome: 'absent' },
      ]),
    ).toEqual({ kind: 'ambiguous', services: ['incident', 'problem'] });
  });
});
