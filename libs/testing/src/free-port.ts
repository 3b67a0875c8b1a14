import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Where the kernel takes the local ports of outgoing connections from (Linux's default when unreadable). */
export function ephemeralPortRange(
  procFile = '/proc/sys/net/ipv4/ip_local_port_range',
): [number, number] {
  try {
    const [low, high] = readFileSync(procFile, 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low <= high) return [low, high];
  } catch {
    // Not Linux, or /proc hidden: the default below is Linux's own.
  }
  return [32768, 60999];
}

const LOWEST_CANDIDATE = 10_000;
/** Ports this test file has handed out: two services started together never get the same one. */
const handedOut = new Set<number>();

/**
 * A TCP port free on the loopback interface right now, which stays free until the caller
 * binds it. A port the kernel handed out itself (listen on 0) comes from the ephemeral range,
 * where any outgoing connection made in the meantime (a service's Kafka and PostgreSQL
 * clients while it starts) may take it first; the service then fails with EADDRINUSE. So
 * the port is drawn below that range, where connect() never looks.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralPortRange();
  const highest = ephemeralLow > LOWEST_CANDIDATE + 1000 ? ephemeralLow - 1 : 65_535;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const candidate = LOWEST_CANDIDATE + Math.floor(Math.random() * (highest - LOWEST_CANDIDATE));
    if (handedOut.has(candidate)) continue;
    if (await canListenOn(candidate)) {
      handedOut.add(candidate);
      return candidate;
    }
  }
  throw new Error(`no free port between ${LOWEST_CANDIDATE} and ${highest} after 200 tries`);
}

function canListenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
