import { ownerOf } from './route-table';

describe('the route table', () => {
  it.each([
    ['/api/v1/incidents', 'incident'],
    ['/api/v1/incidents/2b0c5f3e-6a55-4a3c-9a57-1d3b1f1e2a10', 'incident'],
    ['/api/v1/reports/event-archive', 'reporting'],
  ])('routes %s to %s', (path, service) => {
    expect(ownerOf(path)).toBe(service);
  });

  it('does not route a path that only starts with the same letters', () => {
    expect(ownerOf('/api/v1/incidentsx')).toBeUndefined();
    expect(ownerOf('/api/v2/incidents')).toBeUndefined();
  });
});
