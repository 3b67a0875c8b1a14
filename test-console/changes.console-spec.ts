import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { RunningPlatform, tokenFor } from '@itsm/testing';
import { launchChromium, screenshot, seriousViolations, signIn } from './support/browser';

interface Created {
  id: string;
  number: string;
  state: string;
}

const DAY = 86_400_000;

function plannedDay(): Date {
  let day = Math.floor(Date.now() / DAY) * DAY + 14 * DAY;
  day += ((3 - new Date(day).getUTCDay() + 7) % 7) * DAY;
  if (new Date(day + DAY).getUTCMonth() !== new Date(day).getUTCMonth()) day += 7 * DAY;
  return new Date(day);
}

describe('the change screens in a real browser', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let manager: string;
  const suffix = `t${Date.now().toString(36)}`;
  const ciName = `${suffix}-orders-db`;
  // A fortnight out or a little more (low risk: no short lead time), 10:00 to 12:00 and 11:00
  // to 13:00 UTC, on a Wednesday not at a month's end: the blackout the next night then falls
  // in the same week and month as the changes, whichever day the suite runs.
  const day = plannedDay();
  const dayParam = day.toISOString().slice(0, 10);
  const at = (hour: number) => new Date(day.getTime() + hour * 3_600_000).toISOString();
  let first: Created;
  let second: Created;
  let meetingId: string;

  const api = async (
    token: string,
    method: 'post' | 'get',
    path: string,
    body?: object,
  ): Promise<Record<string, unknown>> => {
    const call = request(platform.gatewayUrl)[method](path).set('authorization', `Bearer ${token}`);
    const response = await (body ? call.send(body) : call);
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Record<string, unknown>;
  };

  async function raise(title: string, start: number, end: number, ciId: string): Promise<Created> {
    const change = (await api(manager, 'post', '/api/v1/changes', {
      title,
      model: 'normal',
      description: 'Storage firmware upgrade',
      ciIds: [ciId],
      plannedStart: at(start),
      plannedEnd: at(end),
      implementationPlan: 'Upgrade the firmware, one controller at a time.',
      backoutPlan: 'Flash the previous firmware.',
    })) as unknown as Created;
    await api(manager, 'post', `/api/v1/changes/${change.id}/transitions`, {
      to: 'assess',
      assignmentGroup: 'database',
    });
    const submitted = (await api(manager, 'post', `/api/v1/changes/${change.id}/transitions`, {
      to: 'authorize',
    })) as unknown as Created;
    expect(submitted.state).toBe('authorize');
    return submitted;
  }

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change', 'cmdb']);
    manager = await tokenFor(platform.gatewayUrl, 'change_manager');
    const cmdb = await tokenFor(platform.gatewayUrl, 'configuration_manager');
    const ci = await api(cmdb, 'post', '/api/v1/cis', {
      class: 'virtual_server',
      name: ciName,
      status: 'operational',
      environment: 'production',
    });
    first = await raise(`${suffix} Upgrade storage firmware`, 10, 12, ci.id as string);
    second = await raise(`${suffix} Patch the database`, 11, 13, ci.id as string);
    // A daily CAB of the seeded group whose agenda looks 30 days ahead.
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const meeting = await api(manager, 'post', '/api/v1/cab-meetings', {
      name: `${suffix} Daily CAB`,
      recurrence: 'FREQ=DAILY',
      firstStart: `${yesterday}T06:00`,
      timeZone: 'UTC',
      durationMinutes: 60,
      approverGroup: 'change-advisory-board',
      agendaLookAheadDays: 30,
    });
    meetingId = meeting.id as string;
    // A blackout on the CI the next night, clear of both changes.
    await api(manager, 'post', '/api/v1/blackout-windows', {
      name: `${suffix} Storage migration`,
      start: at(24 + 1),
      end: at(24 + 6),
      ciIds: [ci.id],
    });

    browser = await launchChromium();
    // UTC, so the calendar's days and times are the ones the test planned.
    const context = await browser.newContext({ baseURL: platform.gatewayUrl, timezoneId: 'UTC' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('lists changes for a change manager, raises one on the form, and opens one with its risk, CIs and conflicts', async () => {
    await page.goto('/');
    await signIn(page, 'change_manager');
    await page.getByRole('link', { name: 'Changes', exact: true }).click();
    await page.getByRole('heading', { name: 'Changes', level: 1 }).waitFor();
    const searched = page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === '/api/v1/changes' &&
        new URL(response.url()).searchParams.get('q') === suffix,
    );
    await page.getByLabel('Search').fill(suffix);
    await searched;
    await page.getByText('2 changes shown').waitFor();
    await page.getByRole('row').filter({ hasText: first.number }).waitFor();
    await page.getByRole('row').filter({ hasText: second.number }).waitFor();
    await expect(
      page.getByRole('row').filter({ hasText: first.number }).textContent(),
    ).resolves.toContain('Authorize');
    expect(new URL(page.url()).searchParams.get('q')).toBe(suffix);
    await screenshot(page, 'changes-list');
    expect(await seriousViolations(page)).toEqual([]);

    // Raising a change on the form: a third one, on the CI, two days later (no conflict).
    await page.getByRole('link', { name: 'New change' }).click();
    await page.getByRole('heading', { name: 'New change', level: 1 }).waitFor();
    await page.getByLabel('Title').fill(`${suffix} Rotate the storage certificates`);
    const twoDaysOn = new Date(day.getTime() + 2 * DAY).toISOString().slice(0, 10);
    await page.getByLabel('Planned start').fill(`${twoDaysOn}T10:00`);
    await page.getByLabel('Planned end').fill(`${twoDaysOn}T11:00`);
    await page.getByRole('combobox', { name: 'Configuration items' }).fill(ciName.slice(0, 12));
    await page.getByRole('option', { name: ciName }).click();
    await page.getByLabel('Assignment group').fill('database');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Raise change' }).click();
    await page
      .getByRole('heading', { level: 1, name: /Rotate the storage certificates/ })
      .waitFor();
    await page.getByTestId('change-state').filter({ hasText: 'New' }).waitFor();
    await page.getByTestId('change-cis').getByRole('link', { name: ciName }).waitFor();
    await page.getByRole('button', { name: 'Move to Assess' }).waitFor();

    await page.goto(`/changes/${first.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(first.number) }).waitFor();
    await page.getByTestId('change-cis').getByRole('link', { name: ciName }).waitFor();
    const conflicts = page.getByTestId('change-conflicts');
    await conflicts.getByText(second.number).waitFor();
    await expect(conflicts.textContent()).resolves.toContain('Same CI');
    await expect(page.getByTestId('change-risk-card').textContent()).resolves.toContain('Low');
    await page.getByTestId('change-approvals').getByText('Normal change: the CAB').waitFor();
    // Waiting for its approvers: no "Move to Scheduled" until approved.
    await page.getByRole('button', { name: 'Move to New' }).waitFor();
    await expect(page.getByRole('button', { name: 'Move to Scheduled' }).count()).resolves.toBe(0);
    // Taller than the default window: the conflicts, CIs and approvals too.
    await page.setViewportSize({ width: 1280, height: 1200 });
    await screenshot(page, 'change-page');
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the two overlapping changes on the calendar, in conflict', async () => {
    await page.getByRole('link', { name: 'Change calendar' }).click();
    await page.getByTestId('calendar-month').waitFor();

    await page.goto(`/changes/schedule?view=week&date=${dayParam}`);
    const cell = page.getByTestId('calendar-week').locator(`td[data-day="${dayParam}"]`);
    const one = cell.getByTestId('calendar-change').filter({ hasText: first.number });
    const other = cell.getByTestId('calendar-change').filter({ hasText: second.number });
    await one.waitFor();
    await other.waitFor();
    await expect(one.textContent()).resolves.toContain('10:00');
    await page
      .getByTestId('calendar-change')
      .filter({ hasText: first.number })
      .and(page.locator('[data-conflict="true"]'))
      .waitFor();
    await expect(other.getAttribute('data-conflict')).resolves.toBe('true');
    await expect(one.textContent()).resolves.toContain('In conflict: Same CI');
    const listed = page.getByTestId('calendar-conflicts').getByRole('listitem').filter({
      hasText: first.number,
    });
    await expect(listed.textContent()).resolves.toContain(second.number);
    await expect(listed.textContent()).resolves.toContain('Same CI');
    await page
      .getByTestId('calendar-week')
      .getByTestId('calendar-window')
      .filter({ hasText: `Blackout: ${suffix} Storage migration` })
      .waitFor();
    await screenshot(page, 'changes-calendar');
    expect(await seriousViolations(page)).toEqual([]);

    // The month of that day: the same conflict and the blackout, on their days.
    await page.locator('label', { hasText: /^Month$/ }).click();
    const month = page.getByTestId('calendar-month');
    await month
      .locator(`td[data-day="${dayParam}"]`)
      .getByTestId('calendar-change')
      .filter({ hasText: second.number })
      .and(page.locator('[data-conflict="true"]'))
      .waitFor();
    await month.getByTestId('calendar-window').first().waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    await screenshot(page, 'changes-calendar-month');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('puts both changes on the CAB agenda', async () => {
    await page.goto(`/changes/cab?meeting=${meetingId}`);
    const agenda = page.getByTestId('cab-agenda');
    await agenda.getByRole('heading', { name: `${suffix} Daily CAB` }).waitFor();
    // By its link: the other item's conflict names this change too.
    const item = agenda
      .getByTestId('cab-item')
      .filter({ has: page.getByRole('link', { name: first.number }) });
    await item.waitFor();
    await agenda
      .getByTestId('cab-item')
      .filter({ has: page.getByRole('link', { name: second.number }) })
      .waitFor();
    await item.getByText('Same CI').first().waitFor();
    await expect(item.textContent()).resolves.toContain('Low');
    await screenshot(page, 'changes-cab');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('lets a CAB member approve a change from the inbox, which schedules it', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'cab_member');
    await page.getByRole('link', { name: 'Change approvals' }).click();
    const inbox = page.getByTestId('approvals-inbox');
    const row = inbox.getByRole('row').filter({ hasText: first.number });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('group change-advisory-board');
    await inbox.getByRole('row').filter({ hasText: second.number }).waitFor();
    await screenshot(page, 'changes-approvals');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: `Approve ${first.number}` }).click();
    const dialog = page.getByRole('dialog', { name: `Approve ${first.number}` });
    await dialog.getByLabel('Comment').fill('Fine by the CAB.');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await inbox.getByRole('row').filter({ hasText: first.number }).waitFor({ state: 'detached' });
    await inbox.getByRole('row').filter({ hasText: second.number }).waitFor();

    await inbox.getByRole('link', { name: second.number }).waitFor();
    await page.goto(`/changes/${first.id}`);
    await page.getByTestId('change-state').filter({ hasText: 'Scheduled' }).waitFor();
    await page
      .getByTestId('change-approvals')
      .getByText(/cab_member approved for group change-advisory-board/)
      .waitFor();
    // The CAB member works no changes: no state buttons, no approving twice.
    await page.getByText('No state change is open to you from here.').waitFor();
  });
});
