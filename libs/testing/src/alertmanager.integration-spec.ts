import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlertmanagerProcess } from './alertmanager';
import { eventually } from './eventually';

interface ReceivedAlert {
  status: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  body: { version: string; status: string; groupKey: string; alerts: ReceivedAlert[] };
}

/** A webhook receiver recording every notification it gets, in arrival order. */
async function startReceiver(): Promise<{
  server: Server;
  url: string;
  received: ReceivedNotification[];
}> {
  const received: ReceivedNotification[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedNotification['body'],
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hook`, received };
}

describe('AlertmanagerProcess', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let alertmanager: AlertmanagerProcess | undefined;

  beforeEach(async () => {
    receiver = await startReceiver();
  });

  afterEach(async () => {
    await alertmanager?.stop();
    alertmanager = undefined;
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  const diskFull = {
    labels: { alertname: 'DiskFull', instance: `web01-${process.pid}`, severity: 'critical' },
    annotations: { summary: 'Disk 95% full on web01' },
  };

  const notificationsAbout = (fingerprint: string, status: string) =>
    receiver.received.filter(({ body }) =>
      body.alerts.some((alert) => alert.fingerprint === fingerprint && alert.status === status),
    );

  it('notifies a firing alert, repeats it while it fires, then notifies it resolved', async () => {
    alertmanager = await AlertmanagerProcess.start({
      webhookUrl: receiver.url,
      authorization: { type: 'ApiKey', credentials: 'itsm_test-key' },
    });
    await alertmanager.postAlerts([diskFull]);
    const [{ fingerprint }] = await eventually(async () => {
      const held = await alertmanager?.alerts();
      return held?.length ? held : undefined;
    });
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);

    const [firing] = await eventually(() => {
      const found = notificationsAbout(fingerprint, 'firing');
      return found.length ? found : undefined;
    });
    expect(firing.headers.authorization).toBe('ApiKey itsm_test-key');
    expect(firing.body).toMatchObject({ version: '4', status: 'firing' });
    expect(firing.body.alerts).toEqual([
      expect.objectContaining({
        status: 'firing',
        fingerprint,
        labels: diskFull.labels,
        annotations: diskFull.annotations,
      }),
    ]);

    // Unchanged, the alert comes again once the repeat interval has passed.
    await eventually(
      () => (notificationsAbout(fingerprint, 'firing').length >= 2 ? true : undefined),
      {
        description: 'a repeat notification',
      },
    );

    await alertmanager.resolveAlerts([diskFull]);
    const [resolved] = await eventually(() => {
      const found = notificationsAbout(fingerprint, 'resolved');
      return found.length ? found : undefined;
    });
    expect(resolved.body).toMatchObject({ version: '4', status: 'resolved' });
    expect(resolved.body.alerts).toEqual([
      expect.objectContaining({ status: 'resolved', fingerprint }),
    ]);
    expect(new Date(resolved.body.alerts[0].endsAt).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('with a long repeat interval, repeats an alert when a sibling joins its group', async () => {
    alertmanager = await AlertmanagerProcess.start({
      webhookUrl: receiver.url,
      repeatInterval: '1h',
    });
    await alertmanager.postAlerts([diskFull]);
    const [first] = await eventually(() =>
      receiver.received.length ? receiver.received : undefined,
    );
    const [{ fingerprint }] = first.body.alerts;

    // Same labels, other annotations: the same alert, so nothing new is notified...
    await alertmanager.postAlerts([{ ...diskFull, annotations: { summary: 'now 97%' } }]);
    // ...whereas a sibling in the same group (same alertname) makes the group notify again.
    const sibling = { labels: { ...diskFull.labels, instance: `web02-${process.pid}` } };
    await alertmanager.postAlerts([sibling]);

    const withSibling = await eventually(() =>
      receiver.received.find(({ body }) => body.alerts.length === 2),
    );
    expect(withSibling.body.alerts.map((alert) => alert.fingerprint)).toContain(fingerprint);
    expect(receiver.received.indexOf(withSibling)).toBe(1);
  });
});
