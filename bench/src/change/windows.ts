import { seededRandom } from '../ci-graph';
import { ciId } from '../incident/dataset';

/**
 * The change windows of the two years, created through the API (`POST
 * /api/v1/change-windows` through the gateway as `change_manager`: a few hundred requests,
 * so the service writes them itself, `last_ends_at` included):
 *
 * - `maintenance` maintenance windows: 75 % weekly (Saturday or Sunday 22:00 to 02:00,
 *   half in Europe/Berlin, half in UTC), 15 % monthly (first Sunday 02:00 to 05:00 UTC),
 *   10 % one-off (six hours on a day of the two years); each on 20 CIs of the often-changed
 *   ones (the first 1 % of the CIs), a tenth on a business service instead;
 * - blackouts: every quarter-end close (the last three days of the quarter, five business
 *   services), a month-end blackout recurring on the last day of each month (three
 *   services), and `blackouts` one-off blackouts of one or two days on ten often-changed CIs;
 * - freezes: the year-end freeze (18 December to 4 January) of each year, whole estate.
 */

export interface WindowSeed {
  maintenance: number;
  blackouts: number;
  freezes: number;
  recurring: number;
  seconds: number;
}

interface WindowBody {
  name: string;
  kind: 'maintenance' | 'blackout' | 'freeze';
  description: string;
  start: string;
  end: string;
  recurrence?: string;
  timeZone?: string;
  ciIds?: string[];
  businessServiceIds?: string[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The offset of `timeZone` at `instant`, as `+01:00`. */
function offsetAt(instant: Date, timeZone: string): string {
  const name =
    new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name.replace('GMT', '');
  return offset === '' ? '+00:00' : offset;
}

/** `date` (its UTC calendar day) at `hour`:00 local time in `timeZone`, with its offset. */
function localAt(date: Date, hour: number, timeZone: string): string {
  const day = date.toISOString().slice(0, 10);
  const guess = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  const offset = offsetAt(guess, timeZone);
  const hours = Number(offset.slice(0, 3));
  const corrected = offsetAt(new Date(guess.getTime() - hours * HOUR_MS), timeZone);
  return `${day}T${String(hour).padStart(2, '0')}:00:00${corrected}`;
}

function plusHours(local: string, hours: number): string {
  return new Date(new Date(local).getTime() + hours * HOUR_MS).toISOString();
}

/** The first day on or after `date` that is weekday `weekday` (0 Sunday). */
function nextWeekday(date: Date, weekday: number): Date {
  return new Date(date.getTime() + ((weekday - date.getUTCDay() + 7) % 7) * DAY_MS);
}

export function windowBodies(
  now: Date,
  cis: number,
  maintenance: number,
  blackouts: number,
  seed: number,
): WindowBody[] {
  const random = seededRandom(seed);
  const hot = Math.max(100, Math.floor(cis / 100));
  const services = Math.max(1, Math.floor(cis / 100));
  const hotCis = (count: number) => [
    ...new Set(Array.from({ length: count }, () => ciId(Math.floor(random() * hot)))),
  ];
  const someServices = (count: number) => [
    ...new Set(Array.from({ length: count }, () => ciId(100 * Math.floor(random() * services)))),
  ];
  const spanStart = new Date(now.getTime() - 730 * DAY_MS);
  const spanEnd = new Date(now.getTime() + 60 * DAY_MS);
  const bodies: WindowBody[] = [];
  for (let i = 0; i < maintenance; i += 1) {
    const scope = i % 10 === 9 ? { businessServiceIds: someServices(1) } : { ciIds: hotCis(20) };
    const share = i % 20;
    if (share < 15) {
      const weekday = i % 2 === 0 ? 6 : 0;
      const timeZone = i % 4 < 2 ? 'Europe/Berlin' : 'UTC';
      const start = localAt(
        nextWeekday(new Date(spanStart.getTime() + (i % 28) * DAY_MS), weekday),
        22,
        timeZone,
      );
      bodies.push({
        name: `Weekly maintenance ${i}`,
        kind: 'maintenance',
        description: 'Weekly patching window of the team.',
        start,
        end: plusHours(start, 4),
        recurrence: `FREQ=WEEKLY;BYDAY=${weekday === 6 ? 'SA' : 'SU'}`,
        timeZone,
        ...scope,
      });
    } else if (share < 18) {
      const month = new Date(
        Date.UTC(spanStart.getUTCFullYear(), spanStart.getUTCMonth() + 1 + (i % 3), 1),
      );
      const start = localAt(nextWeekday(month, 0), 2, 'UTC');
      bodies.push({
        name: `Monthly maintenance ${i}`,
        kind: 'maintenance',
        description: 'First Sunday of the month.',
        start,
        end: plusHours(start, 3),
        recurrence: 'FREQ=MONTHLY;BYDAY=1SU',
        timeZone: 'UTC',
        ...scope,
      });
    } else {
      const day = new Date(spanStart.getTime() + Math.floor(random() * 790) * DAY_MS);
      const start = localAt(day, 20, 'UTC');
      bodies.push({
        name: `Maintenance ${i}`,
        kind: 'maintenance',
        description: 'One-off maintenance window.',
        start,
        end: plusHours(start, 6),
        ...scope,
      });
    }
  }
  // Quarter-end closes.
  for (
    let quarter = new Date(Date.UTC(spanStart.getUTCFullYear(), 0, 1));
    quarter < spanEnd;
    quarter = new Date(Date.UTC(quarter.getUTCFullYear(), quarter.getUTCMonth() + 3, 1))
  ) {
    const end = new Date(Date.UTC(quarter.getUTCFullYear(), quarter.getUTCMonth() + 3, 1));
    if (end < spanStart) continue;
    bodies.push({
      name: `Quarter-end close ${end.toISOString().slice(0, 7)}`,
      kind: 'blackout',
      description: 'Finance closes the quarter.',
      start: new Date(end.getTime() - 3 * DAY_MS).toISOString(),
      end: end.toISOString(),
      businessServiceIds: someServices(5),
    });
  }
  // Month-end blackouts.
  for (let i = 0; i < 2; i += 1) {
    const lastDay = new Date(
      Date.UTC(spanStart.getUTCFullYear(), spanStart.getUTCMonth() + 1 + i, 0),
    );
    const start = localAt(lastDay, 18, 'UTC');
    bodies.push({
      name: `Month-end blackout ${i}`,
      kind: 'blackout',
      description: 'Billing runs on the last day of the month.',
      start,
      end: plusHours(start, 8),
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=-1',
      timeZone: 'UTC',
      businessServiceIds: someServices(3),
    });
  }
  for (let i = 0; i < blackouts; i += 1) {
    const day = new Date(spanStart.getTime() + Math.floor(random() * 790) * DAY_MS);
    const start = localAt(day, 0, 'UTC');
    bodies.push({
      name: `Blackout ${i}`,
      kind: 'blackout',
      description: 'Business event: no changes on these CIs.',
      start,
      end: plusHours(start, 24 * (1 + (i % 2))),
      ciIds: hotCis(10),
    });
  }
  // Year-end freezes.
  for (let year = spanStart.getUTCFullYear(); year <= spanEnd.getUTCFullYear(); year += 1) {
    const start = new Date(Date.UTC(year, 11, 18));
    if (start > spanEnd) continue;
    bodies.push({
      name: `Year-end freeze ${year}`,
      kind: 'freeze',
      description: 'No changes over the holidays.',
      start: start.toISOString(),
      end: new Date(Date.UTC(year + 1, 0, 4)).toISOString(),
    });
  }
  return bodies;
}

/** Creates the windows through the gateway, one request at a time. */
export async function createWindows(
  gatewayUrl: string,
  token: string,
  bodies: readonly WindowBody[],
): Promise<WindowSeed> {
  const started = performance.now();
  for (const body of bodies) {
    const response = await fetch(`${gatewayUrl}/api/v1/change-windows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(
        `POST /api/v1/change-windows (${body.name}): ${response.status} ${await response.text()}`,
      );
    await response.arrayBuffer();
  }
  return {
    maintenance: bodies.filter((body) => body.kind === 'maintenance').length,
    blackouts: bodies.filter((body) => body.kind === 'blackout').length,
    freezes: bodies.filter((body) => body.kind === 'freeze').length,
    recurring: bodies.filter((body) => body.recurrence).length,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
