import { ConfigurationError } from '@itsm/platform';
import { loadSlmConfig } from './slm.config';

describe('slm configuration', () => {
  it('runs the scheduler by default, sleeping at most a second, waiting at most two minutes for events, 500 timers a batch', () => {
    expect(loadSlmConfig({})).toEqual({
      SLA_SCHEDULER_ENABLED: true,
      SLA_SCHEDULER_MAX_SLEEP_MS: 1000,
      SLA_SCHEDULER_MAX_EVENT_WAIT_MS: 120_000,
      SLA_SCHEDULER_BATCH_SIZE: 500,
    });
    expect(loadSlmConfig({ SLA_SCHEDULER_ENABLED: 'false' }).SLA_SCHEDULER_ENABLED).toBe(false);
  });

  it('names every variable at fault', () => {
    expect(() =>
      loadSlmConfig({ SLA_SCHEDULER_ENABLED: 'maybe', SLA_SCHEDULER_MAX_SLEEP_MS: '0' }),
    ).toThrow(ConfigurationError);
    try {
      loadSlmConfig({ SLA_SCHEDULER_ENABLED: 'maybe', SLA_SCHEDULER_MAX_SLEEP_MS: '0' });
    } catch (error) {
      expect(
        (error as ConfigurationError).problems.map((problem) => problem.split(':')[0]),
      ).toEqual(['SLA_SCHEDULER_ENABLED', 'SLA_SCHEDULER_MAX_SLEEP_MS']);
    }
  });
});
