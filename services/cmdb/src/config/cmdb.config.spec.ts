import { ConfigurationError } from '@itsm/platform';
import { loadCmdbConfig } from './cmdb.config';

const base = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://itsm:itsm@127.0.0.1:5432/itsm',
  KAFKA_BROKERS: '127.0.0.1:9092',
};

describe('the cmdb configuration', () => {
  it('has defaults for every cmdb variable', () => {
    expect(loadCmdbConfig(base)).toMatchObject({
      CMDB_SOURCE_PRECEDENCE: ['manual'],
      CMDB_IMPORT_SYNC_LIMIT: 2000,
      CMDB_IMPACT_MAX_DEPTH: 10,
      CMDB_IMPACT_MAX_CIS: 20000,
      CMDB_IMPACT_DEFAULT_LIMIT: 1000,
    });
  });

  it('reads the source precedence as a list, highest first', () => {
    expect(
      loadCmdbConfig({ ...base, CMDB_SOURCE_PRECEDENCE: ' manual, sccm ,, vcenter' })
        .CMDB_SOURCE_PRECEDENCE,
    ).toEqual(['manual', 'sccm', 'vcenter']);
  });

  it('names every invalid variable at once', () => {
    const load = () =>
      loadCmdbConfig({ ...base, CMDB_IMPACT_MAX_DEPTH: '0', CMDB_IMPORT_BATCH_SIZE: 'x' });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(
      /CMDB_IMPACT_MAX_DEPTH[\s\S]*CMDB_IMPORT_BATCH_SIZE|CMDB_IMPORT_BATCH_SIZE[\s\S]*CMDB_IMPACT_MAX_DEPTH/,
    );
  });

  it('refuses a default impact limit above the cap on CIs reached, naming it', () => {
    const load = () =>
      loadCmdbConfig({ ...base, CMDB_IMPACT_MAX_CIS: '500', CMDB_IMPACT_DEFAULT_LIMIT: '1000' });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/CMDB_IMPACT_DEFAULT_LIMIT: 1000 is above CMDB_IMPACT_MAX_CIS \(500\)/);
  });
});
