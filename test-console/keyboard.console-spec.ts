import { type Browser, type Locator, type Page } from 'playwright-core';
import { RecordsApi, RunningPlatform } from '@itsm/testing';
import { launchChromium, newPage, screenshot, seriousViolations, signIn } from './support/browser';

/** A word no other run's records hold: letters only, so full-text search takes it whole. */
const WORD = `kb${Date.now()
  .toString(36)
  .replace(/[0-9]/g, (digit) => 'abcdefghij'[Number(digit)])}`;

describe('keyboard shortcuts in the console', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let requester: RecordsApi;
  /** Waits until the element is the one with the keyboard focus. */
  const hasFocus = (element: Locator) => element.and(page.locator(':focus')).waitFor();

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    browser = await launchChromium();
    page = await newPage(browser, platform.gatewayUrl);
    requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    // Three priorities, so that the queue's order (priority first) is known.
    for (const [title, impact] of [
      [`Mail server down ${WORD}`, 1],
      [`VPN drops every hour ${WORD}`, 2],
      [`Desk phone crackles ${WORD}`, 3],
    ] as const) {
      await requester
        .create('incidents', { title, description: 'x', impact, urgency: impact })
        .expect(201);
    }
    // One without the word: the unsearched queue is never the searched one.
    await requester
      .create('incidents', { title: 'Projector bulb out', description: 'x', impact: 3, urgency: 3 })
      .expect(201);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('moves through the queue with j, opens the selected record with Enter, writes with c, lists the shortcuts with ?', async () => {
    await page.goto('/');
    await signIn(page, 'agent');
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    await page.goto('/queue?view=unassigned');
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();

    // `/` goes to the search field; Escape leaves it, so that letters are shortcuts again.
    await page.keyboard.press('/');
    await page.keyboard.type(WORD);
    await expect(page.getByLabel('Search').inputValue()).resolves.toBe(WORD);
    const rows = page.getByRole('row').filter({ hasText: WORD });
    await rows.filter({ hasText: 'Desk phone crackles' }).waitFor();
    await rows.filter({ hasText: 'Mail server down' }).waitFor();
    await rows.filter({ hasText: 'VPN drops every hour' }).waitFor();
    // The searched list (the unsearched one holds them too, and at least one more).
    await page.getByText('3 incidents shown').waitFor();
    await expect(rows.count()).resolves.toBe(3);
    await page.keyboard.press('Escape');

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const selected = page.getByRole('row', { selected: true });
    await selected.filter({ hasText: 'VPN drops every hour' }).waitFor();
    await expect(selected.count()).resolves.toBe(1);
    await expect(rows.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(rows.nth(0).getAttribute('aria-selected')).resolves.toBeNull();
    await hasFocus(selected.getByRole('link', { name: /^INC\d{7}$/ }));
    await screenshot(page, 'keyboard-queue');
    expect(await seriousViolations(page)).toEqual([]);

    // A new P1 comes in (live update): the list refreshes, the selection stays on its record.
    await requester
      .create('incidents', {
        title: `Payroll export fails ${WORD}`,
        description: 'x',
        impact: 1,
        urgency: 1,
      })
      .expect(201);
    await page.getByText('4 incidents shown').waitFor();
    await expect(rows.nth(2).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(selected.textContent()).resolves.toContain('VPN drops every hour');

    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { level: 1, name: new RegExp(`VPN drops every hour ${WORD}`) })
      .waitFor();
    expect(page.url()).toMatch(/\/incidents\/[0-9a-f-]+$/);

    // `c`: the journal's text box, and the key is not typed into it.
    const journal = page.getByRole('textbox', { name: 'Work note (internal)' });
    await journal.waitFor();
    await page.keyboard.press('c');
    await hasFocus(journal);
    await expect(journal.inputValue()).resolves.toBe('');
    // Out of the text box (Tab to "Add"), `a` goes to the first state action.
    await page.getByRole('button', { name: 'Move to In progress' }).waitFor();
    await page.keyboard.press('Tab');
    await hasFocus(page.getByRole('button', { name: 'Add', exact: true }));
    await page.keyboard.press('a');
    await hasFocus(page.getByRole('button', { name: 'Move to In progress' }));

    // `?` (Shift+/) lists every shortcut; Escape closes the list.
    await page.keyboard.press('Shift+Slash');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await help.getByText('Select the next record').waitFor();
    await help.getByText('Write a work note or comment').waitFor();
    await help.getByText('New incident', { exact: true }).waitFor();
    // Once the dialog has faded in.
    await page.evaluate(
      'Promise.all(document.getAnimations().map((each) => each.finished)).then(() => true)',
    );
    await screenshot(page, 'keyboard-help');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // The header's button opens it too.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });
});
