import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createServiceDataSource, runServiceMigrations } from '@itsm/persistence';
import { ServiceProcess, TlsPostgresProxy, directClient, eventually } from '@itsm/testing';

/**
 * DATABASE_URL's `sslmode` and `sslrootcert` (libpq's names, read by pg-connection-string)
 * reach every PostgreSQL connection the platform makes: TypeORM's pool, the migration
 * runner, the outbox relay's listener. Against a server that speaks TLS only, in front of
 * the test PostgreSQL.
 */
describe('PostgreSQL over TLS, from DATABASE_URL', () => {
  let server: TlsPostgresProxy;
  let elsewhere: TlsPostgresProxy;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    [server, elsewhere] = await Promise.all([
      TlsPostgresProxy.start('IP:127.0.0.1,DNS:localhost'),
      TlsPostgresProxy.start('DNS:db.elsewhere.example'),
    ]);
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), elsewhere?.stop()]);
  });

  const dataSource = (databaseUrl: string, schema = 'public') =>
    createServiceDataSource({
      databaseUrl,
      schema,
      applicationName: 'itsm-tls-test',
      entities: [],
      migrations: [],
    });

  /** Connects and asks PostgreSQL something; resolves to the error message when it cannot. */
  const connectionFailure = async (databaseUrl: string): Promise<string> => {
    const source = dataSource(databaseUrl);
    try {
      await source.initialize();
      await source.query('SELECT 1');
      return 'connected';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      if (source.isInitialized) await source.destroy();
    }
  };

  it('connects with sslmode=verify-full and the CA in sslrootcert, and migrates over it', async () => {
    const url = server.databaseUrl({ sslmode: 'verify-full', sslrootcert: server.caFile });
    const before = server.tlsSessions;
    expect(await connectionFailure(url)).toBe('connected');
    const schema = `tls_${randomUUID().slice(0, 8)}`;
    const migrated = dataSource(url, schema);
    expect(await runServiceMigrations(migrated)).toEqual([]);
    const check = dataSource(url);
    await check.initialize();
    try {
      const [row] = await check.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1',
        [schema],
      );
      expect(row?.n).toBe(1);
      await check.query(`DROP SCHEMA "${schema}" CASCADE`);
    } finally {
      await check.destroy();
    }
    expect(server.tlsSessions).toBeGreaterThan(before);
  });

  it('does not use TLS unless DATABASE_URL asks for it: a TLS-only server turns the client away', async () => {
    const before = server.plainConnections;
    expect(await connectionFailure(server.databaseUrl({}))).not.toBe('connected');
    expect(server.plainConnections).toBeGreaterThan(before);
  });

  it('refuses a server whose certificate does not name the host, with sslmode=verify-full', async () => {
    const url = elsewhere.databaseUrl({ sslmode: 'verify-full', sslrootcert: elsewhere.caFile });
    expect(await connectionFailure(url)).toMatch(
      /Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list/,
    );
  });

  it('refuses a server whose certificate another CA signed, and one signed by no CA it was given', async () => {
    expect(
      await connectionFailure(
        server.databaseUrl({ sslmode: 'verify-full', sslrootcert: server.untrustedCaFile }),
      ),
    ).toMatch(/unable to verify the first certificate|unable to get local issuer certificate/);
    expect(await connectionFailure(server.databaseUrl({ sslmode: 'verify-full' }))).toMatch(
      /unable to verify the first certificate|unable to get local issuer certificate|self-signed/,
    );
  });

  it('encrypts without verifying with sslmode=no-verify (node-postgres’ name for libpq’s require)', async () => {
    expect(await connectionFailure(elsewhere.databaseUrl({ sslmode: 'no-verify' }))).toBe(
      'connected',
    );
  });

  it('runs a whole service over it: its pool and the outbox relay’s listener', async () => {
    const before = server.tlsSessions;
    const incident = await ServiceProcess.start('incident', {
      DATABASE_URL: server.databaseUrl({ sslmode: 'verify-full', sslrootcert: server.caFile }),
    });
    try {
      const created = await directClient('incident', incident.url, 'agent')
        .post('/api/v1/incidents')
        .set('Idempotency-Key', randomUUID())
        .send({ title: 'Over TLS', description: 'verify-full', impact: 3, urgency: 3 })
        .expect(201);
      expect(created.body).toMatchObject({ title: 'Over TLS' });
      // The relay publishes from a connection of its own (LISTEN, the leader lock).
      await eventually(
        async () => {
          const [row] = await directClient('incident', incident.url, 'agent')
            .get('/health/ready')
            .then((response) => [response.status]);
          return row === 200 && server.tlsSessions >= before + 2 ? true : undefined;
        },
        { description: 'the pool and the relay to connect over TLS' },
      );
    } finally {
      await incident.stop();
    }
  });
});
