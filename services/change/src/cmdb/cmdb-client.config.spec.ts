import { loadCmdbClientConfig } from './cmdb-client.config';

describe('where and how long the change service reads the CMDB', () => {
  it('defaults to the cmdb service of `npm start` and two seconds', () => {
    expect(loadCmdbClientConfig({})).toEqual({ url: 'http://127.0.0.1:3005', timeoutMs: 2000 });
    expect(
      loadCmdbClientConfig({ CMDB_URL: 'http://cmdb:8080', CHANGE_CMDB_TIMEOUT_MS: '500' }),
    ).toEqual({ url: 'http://cmdb:8080', timeoutMs: 500 });
  });

  it('refuses values that are not, naming each variable', () => {
    expect(() =>
      loadCmdbClientConfig({ CMDB_URL: 'cmdb:3005', CHANGE_CMDB_TIMEOUT_MS: '0' }),
    ).toThrow(/CMDB_URL: [\s\S]*CHANGE_CMDB_TIMEOUT_MS: /);
  });
});
