import { ConfigurationError, loadServiceConfig, portVariable } from './service-config';

const minimal = {
  NODE_ENV: 'development',
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

  it('honours the relay crash point in test and development, and refuses it in production', () => {
    for (const NODE_ENV of ['test', 'development'])
      expect(
        loadServiceConfig(
          'incident',
          3001,
          {},
          {
            ...minimal,
            NODE_ENV,
            ITSM_FAULT_RELAY_CRASH_AFTER_BATCH: '2',
          },
        ).env.ITSM_FAULT_RELAY_CRASH_AFTER_BATCH,
      ).toBe(2);
    const production = {
      DATABASE_URL: 'postgres://incident:a-long-secret@db.example.com/itsm',
      KAFKA_BROKERS: 'kafka:9092',
      ITSM_FAULT_RELAY_CRASH_AFTER_BATCH: '1',
    };
    expect(() => loadServiceConfig('incident', 3001, {}, production)).toThrow(
      'ITSM_FAULT_RELAY_CRASH_AFTER_BATCH: fault injection is for tests only',
    );
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

  it('serves metrics on a port of its own, 9400 + the service port - 3000 unless set; off turns it off', () => {
    expect(loadServiceConfig('incident', 3001, {}, minimal).metricsPort).toBe(9401);
    expect(
      loadServiceConfig('incident', 3001, {}, { ...minimal, INCIDENT_METRICS_PORT: '9100' })
        .metricsPort,
    ).toBe(9100);
    for (const off of ['off', '0'])
      expect(
        loadServiceConfig('incident', 3001, {}, { ...minimal, INCIDENT_METRICS_PORT: off })
          .metricsPort,
      ).toBeUndefined();
    expect(() =>
      loadServiceConfig('incident', 3001, {}, { ...minimal, INCIDENT_METRICS_PORT: 'yes' }),
    ).toThrow(/INCIDENT_METRICS_PORT/);
  });

  it('reads TRUST_PROXY as false, a hop count or addresses and ranges, and refuses true', () => {
    const trustProxy = (value?: string) =>
      loadServiceConfig('incident', 3001, {}, { ...minimal, TRUST_PROXY: value }).env.TRUST_PROXY;
    expect(trustProxy()).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('loopback, 10.0.0.0/8, fd00::/8, 192.0.2.7')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.7',
    ]);
    for (const invalid of ['true', '10.0.0.0/33', 'proxy.example.com'])
      expect(() => trustProxy(invalid)).toThrow(/TRUST_PROXY/);
  });

  it('refuses development credentials in production, naming the variable, with the other problems', () => {
    const production = { ...minimal, NODE_ENV: 'production' };
    try {
      loadServiceConfig('incident', 3001, {}, { ...production, OUTBOX_RELAY_ENABLED: 'maybe' });
      throw new Error('expected a configuration error');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).problems).toEqual([
        expect.stringMatching(/^OUTBOX_RELAY_ENABLED: /),
        expect.stringMatching(/^DATABASE_URL: carries the local development credentials/),
      ]);
    }
    const own = {
      ...production,
      DATABASE_URL: 'postgres://incident:Kq8-vault-secret@db:5432/itsm',
    };
    expect(loadServiceConfig('incident', 3001, {}, own).mode).toBe('production');
    expect(loadServiceConfig('incident', 3001, {}, minimal).mode).toBe('development');
  });
});
