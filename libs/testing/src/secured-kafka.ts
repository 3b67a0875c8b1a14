import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './eventually';
import { freePort } from './free-port';
import { LoggedProcess } from './logged-process';
import { REPO_ROOT, testEnvironment } from './test-environment';

const run = promisify(execFile);

/** Short-lived JVMs, as deploy/local/kafka.sh runs them: small heap, fast start-up. */
const JVM_OPTIONS = [
  '-Xms32m',
  '-Xmx256m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Djava.awt.headless=true',
  `-Dlog4j2.configurationFile=${join(REPO_ROOT, 'deploy/local/kafka/log4j2.xml')}`,
  '-Ditsm.kafka.log.level=WARN',
];

/** The jars deploy/local/kafka.sh installed for the local broker. */
function kafkaClasspath(): string {
  const lib = join(
    resolve(process.env.ITSM_STATE_DIR ?? join(REPO_ROOT, '.local')),
    'kafka',
    'lib',
  );
  if (!existsSync(lib))
    throw new Error(`no Kafka jars in ${lib}: run deploy/local/kafka.sh install`);
  return `${lib}/*`;
}

/** A self-signed CA (key and certificate) named `<name>.key`, `<name>.pem` in the directory. */
async function certificateAuthority(directory: string, name: string): Promise<string> {
  const pem = join(directory, `${name}.pem`);
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', join(directory, `${name}.key`), '-out', pem, '-days', '1'],
    ...['-subj', `/CN=${name}`],
  ]);
  return pem;
}

/**
 * A PEM key store for the broker: its unencrypted PKCS#8 key and a certificate for
 * 127.0.0.1 signed by the CA, in one file (Kafka's `ssl.keystore.type=PEM`).
 */
async function brokerKeyStore(directory: string, ca: string): Promise<string> {
  const key = join(directory, 'broker.key');
  const csr = join(directory, 'broker.csr');
  const certificate = join(directory, 'broker.pem');
  const extensions = join(directory, 'broker.ext');
  writeFileSync(extensions, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', [
    ...['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1'],
  ]);
  await run('openssl', [
    ...['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', ca.replace(/\.pem$/, '.key')],
    ...['-CAcreateserial', '-out', certificate, '-days', '1', '-extfile', extensions],
  ]);
  const keyStore = join(directory, 'broker-keystore.pem');
  writeFileSync(keyStore, readFileSync(key, 'utf8') + readFileSync(certificate, 'utf8'));
  return keyStore;
}

/**
 * A throwaway single-node KRaft broker whose only client listener is SASL_SSL: TLS with a
 * certificate from a CA made for it, and user `itsm` with a SASL/PLAIN password (a static
 * JAAS user) and a SCRAM-SHA-512 one (stored when the storage is formatted). From the
 * local broker's jars, on ports and in a directory of its own; the shared broker is not
 * touched.
 */
export class SecuredKafkaBroker {
  static readonly username = 'itsm';

  private constructor(
    readonly port: number,
    /** The CA that signed the broker's certificate. */
    readonly caFile: string,
    /** A CA that signed nothing the broker presents. */
    readonly untrustedCaFile: string,
    readonly passwords: { plain: string; 'scram-sha-512': string },
    readonly logFile: string,
    private readonly child: LoggedProcess,
    private readonly directory: string,
  ) {}

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SecuredKafkaBroker> {
    const classpath = kafkaClasspath();
    const directory = mkdtempSync(join(tmpdir(), 'itsm-secured-kafka-'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    const ca = await certificateAuthority(directory, 'itsm-test-ca');
    const untrustedCa = await certificateAuthority(directory, 'untrusted-ca');
    const keyStore = await brokerKeyStore(directory, ca);
    // Hex: no character the JAAS or --add-scram syntax would need quoted.
    const secret = () => randomBytes(16).toString('hex');
    const passwords = { plain: secret(), 'scram-sha-512': secret() };
    const brokerPassword = secret();
    const properties = join(directory, 'server.properties');
    writeFileSync(
      properties,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        'controller.listener.names=CONTROLLER',
        `listeners=SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=SASL_SSL://127.0.0.1:${port}`,
        // The broker reaches itself through the secured listener too: no plaintext one.
        'inter.broker.listener.name=SASL_SSL',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
        'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-512',
        'sasl.mechanism.inter.broker.protocol=PLAIN',
        `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="${brokerPassword}" user_broker="${brokerPassword}" user_${SecuredKafkaBroker.username}="${passwords.plain}";`,
        'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        'ssl.keystore.type=PEM',
        `ssl.keystore.location=${keyStore}`,
        'ssl.truststore.type=PEM',
        `ssl.truststore.location=${ca}`,
        `log.dirs=${join(directory, 'data')}`,
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'transaction.state.log.num.partitions=1',
        // Kafka 4.x: the share-group state topic defaults to 3 replicas, more than one node has.
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'num.network.threads=1',
        'num.io.threads=1',
        'background.threads=1',
        'log.cleaner.enable=false',
      ].join('\n'),
    );
    // A cluster id is 16 random bytes, base64url; Kafka avoids a leading '-', so do we.
    const clusterId = `A${randomBytes(16).toString('base64url').slice(1)}`;
    await run('java', [
      ...JVM_OPTIONS,
      ...['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties],
      ...[
        '--add-scram',
        `SCRAM-SHA-512=[name=${SecuredKafkaBroker.username},password=${passwords['scram-sha-512']}]`,
      ],
    ]);

    const { logDirectory } = testEnvironment();
    mkdirSync(logDirectory, { recursive: true });
    const logFile = join(logDirectory, `secured-kafka-${port}.log`);
    const child = LoggedProcess.spawn(
      'java',
      [
        ...JVM_OPTIONS,
        `-Dkafka.logs.dir=${directory}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        properties,
      ],
      {
        PATH: process.env.PATH ?? '',
        ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
      },
      logFile,
    );
    const broker = new SecuredKafkaBroker(
      port,
      ca,
      untrustedCa,
      passwords,
      logFile,
      child,
      directory,
    );
    try {
      await broker.waitUntilListening();
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  /** The listener opens last, once the broker has started. */
  private async waitUntilListening(timeoutMs = 90_000): Promise<void> {
    await eventually(
      async () => {
        if (this.child.exitCode !== undefined)
          throw new Error(`the broker exited with ${this.child.exitCode}; see ${this.logFile}`);
        return new Promise<true | undefined>((done) => {
          const socket = connect(this.port, '127.0.0.1');
          socket.once('connect', () => {
            socket.destroy();
            done(true);
          });
          socket.once('error', () => done(undefined));
        });
      },
      { timeoutMs, intervalMs: 250, description: `the secured broker (log: ${this.logFile})` },
    );
  }

  async stop(): Promise<void> {
    // Its data is thrown away: no need for a clean shutdown.
    await this.child.kill();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
