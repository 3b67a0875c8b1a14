import { ConfigurationError } from '@itsm/platform';
import { loadDetectionPolicy } from './unauthorized.config';

const HOUR = 3_600_000;

describe('the unauthorised change detection settings', () => {
  it('has defaults: a day of grace, bursts an hour apart, updates up to a day old, every field watched', () => {
    expect(loadDetectionPolicy({})).toEqual({
      graceMs: 24 * HOUR,
      burstWindowMs: HOUR,
      maxAgeMs: 24 * HOUR,
      ignoredFields: [],
    });
  });

  it('reads durations and the fields not watched', () => {
    expect(
      loadDetectionPolicy({
        CHANGE_UNAUTHORIZED_GRACE: 'PT6H',
        CHANGE_UNAUTHORIZED_BURST_WINDOW: 'PT15M',
        CHANGE_UNAUTHORIZED_MAX_AGE: 'P7D',
        CHANGE_UNAUTHORIZED_IGNORED_FIELDS: ' attributes.uptimeSeconds , identifiers.* ,',
      }),
    ).toEqual({
      graceMs: 6 * HOUR,
      burstWindowMs: HOUR / 4,
      maxAgeMs: 7 * 24 * HOUR,
      ignoredFields: ['attributes.uptimeSeconds', 'identifiers.*'],
    });
  });

  it('names every setting at fault at once', () => {
    let error: unknown;
    try {
      loadDetectionPolicy({
        CHANGE_UNAUTHORIZED_GRACE: 'a day',
        CHANGE_UNAUTHORIZED_IGNORED_FIELDS: 'attributes.memory Mb',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('CHANGE_UNAUTHORIZED_GRACE');
    expect((error as Error).message).toContain(
      'CHANGE_UNAUTHORIZED_IGNORED_FIELDS: "attributes.memory Mb" is not a CI field name',
    );
  });
});
