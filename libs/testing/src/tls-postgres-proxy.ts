import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { testEnvironment } from './test-environment';

const run = promisify(execFile);

/** The code of PostgreSQL's SSLRequest message (protocol 1234.5679). */
const SSL_REQUEST_CODE = 80877103;

async function makeCertificates(
  directory: string,
  subjectAltName: string,
): Promise<{ ca: string; untrustedCa: string; key: string; certificate: string }> {
  const ca = async (name: string) => {
    await run('openssl', [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
      ...['-keyout', join(directory, `${name}.key`), '-out', join(directory, `${name}.crt`)],
      ...['-days', '1', '-subj', `/CN=${name}`],
    ]);
    return join(directory, `${name}.crt`);
  };
  const trusted = await ca('itsm-test-postgres-ca');
  const untrusted = await ca('untrusted-ca');
  const key = join(directory, 'server.key');
  const csr = join(directory, 'server.csr');
  const certificate = join(directory, 'server.crt');
  const extensions = join(directory, 'server.ext');
  writeFileSync(extensions, `subjectAltName=${subjectAltName}\n`);
  await run('openssl', [
    ...['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', key, '-out', csr, '-subj', '/CN=postgres'],
  ]);
  await run('openssl', [
    ...['x509', '-req', '-in', csr, '-CA', trusted, '-CAkey', trusted.replace(/\.crt$/, '.key')],
    ...['-CAcreateserial', '-out', certificate, '-days', '1', '-extfile', extensions],
  ]);
  return { ca: trusted, untrustedCa: untrusted, key, certificate };
}

/**
 * A PostgreSQL server that speaks TLS only, as a managed PostgreSQL or CloudNativePG with
 * `hostssl` rules does: it answers a client's SSLRequest, does the TLS handshake with a
 * certificate from a CA made for it, and passes what the client sends inside TLS to the
 * test PostgreSQL. A client that does not ask for TLS is disconnected, and counted.
 */
export class TlsPostgresProxy {
  private constructor(
    private readonly counts: { tlsSessions: number; plainConnections: number },
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly port: number,
    /** The CA that signed the server's certificate (for `sslrootcert`). */
    readonly caFile: string,
    /** A CA that signed nothing this server presents. */
    readonly untrustedCaFile: string,
    private readonly directory: string,
  ) {}

  /** `subjectAltName` of the server's certificate, e.g. `IP:127.0.0.1` or `DNS:db.example.com`. */
  static async start(subjectAltName = 'IP:127.0.0.1,DNS:localhost'): Promise<TlsPostgresProxy> {
    const directory = mkdtempSync(join(tmpdir(), 'itsm-tls-postgres-'));
    const files = await makeCertificates(directory, subjectAltName);
    const context = createSecureContext({
      key: readFileSync(files.key),
      cert: readFileSync(files.certificate),
    });
    const upstream = new URL(testEnvironment().databaseUrl);
    const port = await freePort();
    const counts = { tlsSessions: 0, plainConnections: 0 };
    const sockets = new Set<Socket>();
    const server = createServer((client: Socket) => {
      sockets.add(client);
      client.once('close', () => sockets.delete(client));
      client.on('error', () => client.destroy());
      client.once('data', (first) => {
        if (first.length !== 8 || first.readInt32BE(4) !== SSL_REQUEST_CODE) {
          counts.plainConnections++;
          client.destroy();
          return;
        }
        client.write('S');
        const secure = new TLSSocket(client, { isServer: true, secureContext: context });
        const database = connect(Number(upstream.port || 5432), upstream.hostname);
        const close = () => {
          secure.destroy();
          database.destroy();
        };
        secure.on('error', close);
        database.on('error', close);
        secure.once('secure', () => {
          counts.tlsSessions++;
        });
        secure.pipe(database).pipe(secure);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return new TlsPostgresProxy(
      counts,
      server,
      sockets,
      port,
      files.ca,
      files.untrustedCa,
      directory,
    );
  }

  /** Connections that completed the TLS handshake. */
  get tlsSessions(): number {
    return this.counts.tlsSessions;
  }

  /** Connections that did not ask for TLS. */
  get plainConnections(): number {
    return this.counts.plainConnections;
  }

  /** The test database's URL through this server, with the query parameters given (sslmode, sslrootcert, ...). */
  databaseUrl(parameters: Record<string, string>, host = '127.0.0.1'): string {
    const url = new URL(testEnvironment().databaseUrl);
    url.hostname = host;
    url.port = String(this.port);
    for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
    return url.toString();
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    rmSync(this.directory, { recursive: true, force: true });
  }
}
