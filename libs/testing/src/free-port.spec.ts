import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ephemeralPortRange, freePort } from './free-port';

describe('freePort', () => {
  it('hands out ports below the range outgoing connections take theirs from, never the same one twice', async () => {
    const [ephemeralLow] = ephemeralPortRange();
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow);
  });

  it('hands out a port a server can listen on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('ephemeralPortRange', () => {
  it('reads the kernel setting, and falls back to Linux’s default when it cannot', () => {
    const directory = mkdtempSync(join(tmpdir(), 'port-range-'));
    const file = join(directory, 'ip_local_port_range');
    writeFileSync(file, '40000\t50000\n');
    expect(ephemeralPortRange(file)).toEqual([40000, 50000]);
    expect(ephemeralPortRange(join(directory, 'missing'))).toEqual([32768, 60999]);
  });
});
