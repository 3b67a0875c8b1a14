import { ConfigurationError, loadServiceConfig, portVariable } from './service-config';

const minimal = {
  DATABASE_URL: 'postgres://itsm:itsm@127.0.0.1:5432/itsm',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.2:9092',
};

describe('service configuration', () => {
  it('reads the environment into typed values with documented defaults', () => {
    const config = loadServiceConfig('incident', 3001, {}, minimal);
    expect(config.port).toBe(3001);
    expect(config.env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.2:9092']);
    expect(config.env.OUTBOX_RELAY_ENABLED).toBe(true);
    expect(config.env.LOG_LEVEL).toBe('info');
  });

  it('takes the port from the variable named after the service', () => {
    expect(portVariable('incident')).toBe('INCIDENT_PORT');
    expect(
      loadServiceConfig('incident', 3001, {}, { ...minimal, INCIDENT_PORT: '4100' }).port,
    ).toBe(4100);
  });

  it('lists every problem at once', () => {
    try {
      loadServiceConfig(
        'incident',
        3001,
        {},
        { DATABASE_URL: 'mysql://x', OUTBOX_RELAY_ENABLED: 'maybe', INCIDENT_PORT: '-1' },
      );
      throw new Error('expected a configuration error');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      const fields = (error as ConfigurationError).problems.map((problem) => problem.split(':')[0]);
      expect(fields).toEqual(
        expect.arrayContaining([
          'DATABASE_URL',
          'KAFKA_BROKERS',
          'OUTBOX_RELAY_ENABLED',
          'INCIDENT_PORT',
        ]),
      );
    }
  });
});
