import { type Browser, type Page } from 'playwright-core';
import { RecordsApi, RunningPlatform } from '@itsm/testing';
import { launchChromium, newPage, screenshot, seriousViolations, signIn } from './support/browser';

interface Listed {
  items: { id: string }[];
}

/** A word no other run's records hold: letters only, so full-text search takes it whole. */
const WORD = `sq${Date.now()
  .toString(36)
  .replace(/[0-9]/g, (digit) => 'abcdefghij'[Number(digit)])}`;
const NAME = 'Urgent printers';

describe('saved queues in the console', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  const titles = {
    jam: `Printer jam on floor 3 ${WORD}`,
    toner: `Printer toner low ${WORD}`,
    scanner: `Scanner offline ${WORD}`,
  };

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    browser = await launchChromium();
    page = await newPage(browser, platform.gatewayUrl);
    const requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    await requester
      .create('incidents', { title: titles.jam, description: 'x', impact: 1, urgency: 1 })
      .expect(201);
    await requester
      .create('incidents', { title: titles.toner, description: 'x', impact: 3, urgency: 3 })
      .expect(201);
    await requester
      .create('incidents', { title: titles.scanner, description: 'x', impact: 1, urgency: 1 })
      .expect(201);
    // The test database outlives runs: both users start without saved queues.
    for (const user of ['agent', 'incident_manager']) {
      const api = await RecordsApi.as(platform.gatewayUrl, user);
      const listed = (await api.call('get', '/api/v1/me/saved-queues').expect(200)).body as Listed;
      for (const queue of listed.items)
        await api.call('delete', `/api/v1/me/saved-queues/${queue.id}`).expect(204);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const row = (title: string) => page.getByRole('row').filter({ hasText: title });

  /** The queue shows exactly the P1 printer and scanner incidents of this run. */
  async function seesTheUrgentOnes(): Promise<void> {
    await row(titles.jam).waitFor();
    await row(titles.scanner).waitFor();
    await row(titles.toner).waitFor({ state: 'detached' });
    await expect(page.getByLabel('Search').inputValue()).resolves.toBe(WORD);
  }

  it('saves the filtered queue from the keyboard and opens it again after a reload', async () => {
    await page.goto('/');
    await signIn(page, 'agent');
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    await page.locator('label', { hasText: 'All open' }).click();
    await page.getByLabel('Search').fill(WORD);
    await row(titles.toner).waitFor();
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('option', { name: 'P1' }).click();
    await seesTheUrgentOnes();

    await page.getByRole('button', { name: 'Save as queue' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Save this queue' });
    await dialog.getByLabel('Name').waitFor();
    await page.keyboard.type(NAME);
    await screenshot(page, 'saved-queues-save');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(`Saved queue: ${NAME}`).waitFor();

    // Elsewhere, then back to it from the menu after a reload.
    await page.locator('label', { hasText: 'My work' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    const saved = page.getByRole('navigation', { name: 'Saved queues' });
    await saved.getByRole('link', { name: NAME }).waitFor();
    await screenshot(page, 'saved-queues');
    expect(await seriousViolations(page)).toEqual([]);
    await saved.getByRole('link', { name: NAME }).click();
    await page.getByText(`Saved queue: ${NAME}`).waitFor();
    await seesTheUrgentOnes();
    expect(new URL(page.url()).searchParams.get('priority')).toBe('P1');
  });

  it('renames it, makes it the default that /queue opens, and deletes it', async () => {
    await page.getByRole('button', { name: 'Manage saved queues' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your saved queues' });
    await dialog.getByRole('button', { name: `Rename ${NAME}` }).click();
    const renamed = `${NAME} (P1)`;
    await dialog.getByLabel(`New name for ${NAME}`).fill(renamed);
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: `Make ${renamed} the default` }).click();
    await dialog.getByRole('button', { name: `Stop opening ${renamed} by default` }).waitFor();
    await screenshot(page, 'saved-queues-manage');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    await page.getByRole('link', { name: /Incident queue/ }).click();
    await page.getByText(`Saved queue: ${renamed}`).waitFor();
    await seesTheUrgentOnes();

    await page.getByRole('button', { name: 'Manage saved queues' }).click();
    await dialog.getByRole('button', { name: `Delete ${renamed}` }).click();
    await dialog.getByText('No saved queues yet').waitFor();
  });

  it('shows another user none of them', async () => {
    const agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    await agent
      .call('post', '/api/v1/me/saved-queues')
      .send({ name: 'Agent only', list: 'incidents', parameters: { q: WORD } })
      .expect(201);
    const other = await newPage(browser, platform.gatewayUrl);
    await other.goto('/');
    await signIn(other, 'incident_manager');
    await other.getByRole('heading', { name: 'Incidents' }).waitFor();
    const saved = other.getByRole('navigation', { name: 'Saved queues' });
    await saved.getByText('No saved queues yet').waitFor();
    expect(await saved.getByRole('link').count()).toBe(0);
  });
});
