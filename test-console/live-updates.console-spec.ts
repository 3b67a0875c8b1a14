import { type Browser, type Page } from 'playwright-core';
import { RecordsApi, RunningPlatform } from '@itsm/testing';
import { launchChromium, newPage, screenshot, seriousViolations, signIn } from './support/browser';

/** Set on the window once: still there later means the page was never reloaded. */
const MARK = '__itsmNotReloaded';

async function markPage(page: Page): Promise<void> {
  await page.evaluate(
    (mark) => ((globalThis as unknown as Record<string, boolean>)[mark] = true),
    MARK,
  );
}

async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(
    (mark) => (globalThis as unknown as Record<string, boolean>)[mark] === true,
    MARK,
  );
}

describe('live updates in the console', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let colleague: RecordsApi;
  let incident: { id: string; number: string };
  const title = `Badge reader at the side door is dead ${Date.now()}`;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    browser = await launchChromium();
    page = await newPage(browser, platform.gatewayUrl);
    colleague = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    const requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    incident = (
      await requester
        .create('incidents', { title, description: 'No beep at all', impact: 3, urgency: 2 })
        .expect(201)
    ).body as { id: string; number: string };
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it("shows an agent's queue the state another agent set, without a reload", async () => {
    await page.goto('/');
    await signIn(page, 'agent');
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    await page.getByLabel('Search').fill(title);
    const row = page.getByRole('row').filter({ hasText: title });
    await row.filter({ hasText: 'New' }).waitFor();
    await markPage(page);

    await colleague.transition('incidents', incident.id, { to: 'in_progress' }).expect(200);

    await row.filter({ hasText: 'In progress' }).waitFor();
    expect(await stillSamePage(page)).toBe(true);
  });

  it('updates the record page an agent has open and says someone else changed it', async () => {
    await page.getByRole('link', { name: incident.number }).click();
    await page.getByTestId('record-state').filter({ hasText: 'In progress' }).waitFor();
    await markPage(page);

    await colleague
      .transition('incidents', incident.id, { to: 'on_hold', holdReason: 'awaiting_caller' })
      .expect(200);

    await page.getByTestId('record-state').filter({ hasText: 'On hold' }).waitFor();
    const notice = page.getByRole('status').filter({ hasText: 'Updated by someone else' });
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('On hold');
    // The moves open now are those from on_hold.
    await page.getByRole('button', { name: 'Move to In progress' }).waitFor();
    expect(await stillSamePage(page)).toBe(true);
    await screenshot(page, 'record-updated-elsewhere');
    expect(await seriousViolations(page)).toEqual([]);

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
  });
});
