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
    platform = await RunningPlatform.start(['gateway', 'incident', 'problem']);
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

  it('says so on a problem page too', async () => {
    const manager = await newPage(browser, platform.gatewayUrl);
    const admin = await RecordsApi.as(platform.gatewayUrl, 'admin');
    const problem = (
      await admin
        .call('post', '/api/v1/problems')
        .send({
          title: `Door controllers drop off the network ${Date.now()}`,
          impact: 2,
          urgency: 2,
          assignmentGroup: 'problem-management',
        })
        .expect(201)
    ).body as { id: string; number: string };
    await manager.goto('/');
    await signIn(manager, 'problem_manager');
    await manager.getByRole('link', { name: 'Problems', exact: true }).waitFor();
    await manager.goto(`/problems/${problem.id}`);
    const state = manager.getByTestId('problem-state');
    await state.filter({ hasText: 'New' }).waitFor();
    const notice = manager.getByRole('status').filter({ hasText: 'Updated by someone else' });

    // A step of the page's own first, so that the page has written the problem.
    await manager.getByRole('button', { name: 'Assess' }).click();
    await manager
      .getByRole('dialog', { name: 'Assess' })
      .getByRole('button', { name: 'Confirm' })
      .click();
    await state.filter({ hasText: 'Assess' }).waitFor();
    await manager.getByRole('button', { name: 'Confirm and analyse' }).waitFor();
    await markPage(manager);

    // Someone else's: the page moves on and says so.
    await admin
      .call('post', `/api/v1/problems/${problem.id}/transitions`)
      .send({ to: 'root_cause_analysis' })
      .expect(200);
    await state.filter({ hasText: 'Root cause analysis' }).waitFor();
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('Root cause analysis');
    expect(await stillSamePage(manager)).toBe(true);
    expect(await seriousViolations(manager)).toEqual([]);
    await manager.close();
  });
});
