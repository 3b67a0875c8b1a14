import { describe, expect, it } from '@jest/globals';
import { addressOf, normalisedAddress, savedParameters, type QueueAddress } from './saved-queues';

const viewer = { username: 'agent', groups: ['service-desk', 'network'] };
const OPEN = ['new', 'in_progress', 'on_hold'];
const base: QueueAddress = {
  page: 'agent',
  list: 'incidents',
  view: 'unassigned',
  state: '',
  priority: '',
  sort: 'priority',
  q: '',
};

describe('saved queues in the console', () => {
  it("keep the page's view as the list API's parameters, with the open states when no state is picked", () => {
    expect(savedParameters({ ...base, priority: 'P1', q: 'printer' }, viewer, OPEN)).toEqual({
      state: 'new,in_progress,on_hold',
      priority: 'P1',
      sort: 'priority',
      q: 'printer',
      unassigned: 'true',
    });
    expect(savedParameters({ ...base, view: 'mine', state: 'on_hold' }, viewer, OPEN)).toEqual({
      state: 'on_hold',
      sort: 'priority',
      assignee: 'agent',
    });
    expect(savedParameters({ ...base, view: 'groups' }, viewer, OPEN)).toMatchObject({
      assignmentGroup: 'service-desk,network',
    });
    expect(savedParameters({ ...base, view: 'all' }, viewer, OPEN)).toEqual({
      state: 'new,in_progress,on_hold',
      sort: 'priority',
    });
    expect(
      savedParameters({ ...base, page: 'mine', list: 'requests', sort: '-openedAt' }, viewer, OPEN),
    ).toEqual({ requester: 'agent', sort: '-openedAt' });
  });

  it('open where they were saved, with the same view, type and filters', () => {
    for (const address of [
      { ...base, priority: 'P1', q: 'printer' },
      { ...base, view: 'mine', state: 'on_hold' },
      { ...base, view: 'groups', list: 'requests' as const },
      { ...base, view: 'all', sort: '-updatedAt' },
    ]) {
      const parameters = savedParameters(address, viewer, OPEN);
      const opened = new URL(
        addressOf({ list: address.list, parameters }, viewer, OPEN),
        'http://x',
      );
      expect(opened.pathname).toBe('/queue');
      expect(Object.fromEntries(opened.searchParams)).toEqual({
        view: address.view,
        ...(address.list === 'requests' ? { type: 'request' } : {}),
        ...(address.state ? { state: address.state } : {}),
        ...(address.priority ? { priority: address.priority } : {}),
        sort: address.sort,
        ...(address.q ? { q: address.q } : {}),
      });
    }
    const mine = savedParameters({ ...base, page: 'mine', sort: '-openedAt' }, viewer, OPEN);
    expect(addressOf({ list: 'incidents', parameters: mine }, viewer, OPEN)).toBe(
      '/my?sort=-openedAt',
    );
  });

  it('compare addresses whatever the order of their parameters', () => {
    expect(normalisedAddress('/queue', '?view=all&type=request')).toBe(
      normalisedAddress('/queue', '?type=request&view=all'),
    );
    expect(addressOf({ list: 'requests', parameters: { sort: 'priority' } }, viewer, OPEN)).toBe(
      normalisedAddress('/queue', '?view=all&type=request&sort=priority'),
    );
  });
});
