import { ConfigurationError } from '@itsm/platform';
import { loadIncidentConfig } from './incident.config';

describe('the incident service configuration', () => {
  it('sends records opened without a group to service-desk unless told otherwise', () => {
    expect(loadIncidentConfig({}).triageGroup).toBe('service-desk');
    expect(loadIncidentConfig({ TRIAGE_GROUP: ' first-line ' }).triageGroup).toBe('first-line');
  });

  it('refuses to start with a triage group that cannot be a group, naming the variable', () => {
    for (const value of ['   ', 'x'.repeat(101)]) {
      expect(() => loadIncidentConfig({ TRIAGE_GROUP: value })).toThrow(ConfigurationError);
      expect(() => loadIncidentConfig({ TRIAGE_GROUP: value })).toThrow(/TRIAGE_GROUP/);
    }
  });
});
