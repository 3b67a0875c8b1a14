import { type Browser, type Page } from 'playwright-core';
import { RunningPlatform, RecordsApi } from '@itsm/testing';
import { launchChromium, newPage, screenshot, seriousViolations, signIn } from './support/browser';

/** The service catalogue: an admin adds an item, a requester finds it and raises a request from it. */
describe('the service catalogue in a real browser', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let admin: Page;
  let requester: Page;
  /** A word no other item holds, so that the search finds this run's item only. */
  const tag = `zq${Date.now().toString(36)}`;
  const name = `Ergonomic keyboard ${tag}`;
  const key = `ergonomic-keyboard-${tag}`;
  const description = 'A split keyboard with a wrist rest, delivered to your desk';

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    // The fulfilment group must be known to the incident service's copy of the directory.
    await (await RecordsApi.as(platform.gatewayUrl, 'admin')).untilGroupsKnown(['network']);
    browser = await launchChromium();
    admin = await newPage(browser, platform.gatewayUrl);
    requester = await newPage(browser, platform.gatewayUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('lets an admin add an item to the catalogue', async () => {
    await admin.goto('/');
    await signIn(admin, 'admin');
    await admin.getByRole('link', { name: 'Service catalogue' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Service catalogue' }).waitFor();
    await admin.getByRole('button', { name: 'Add item' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Add item' });
    await dialog.getByLabel('Name').fill(name);
    await expect(dialog.getByLabel('Key').inputValue()).resolves.toBe(key);
    await dialog.getByLabel('Description').fill(description);
    await dialog.getByLabel('Category').fill(`Peripherals ${tag}`);
    await dialog.getByLabel('Fulfilment group').fill('network');
    expect(await seriousViolations(admin)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = admin.getByTestId('catalog-items').getByRole('row').filter({ hasText: key });
    await row.getByText('network').waitFor();
    await row.getByText('Offered').waitFor();
    expect(await seriousViolations(admin)).toEqual([]);
    await screenshot(admin, 'catalog-manage');
  });

  it('lets a requester find the item, raise a request from it and see it there', async () => {
    await requester.goto('/');
    await signIn(requester, 'requester');
    await requester.getByRole('link', { name: 'Request something' }).click();
    await requester.getByRole('heading', { level: 1, name: 'Request something' }).waitFor();
    await requester.getByLabel('Search the catalogue').fill(tag);
    const card = requester.getByRole('article', { name });
    await card.getByText(description).waitFor();
    await requester.getByRole('heading', { level: 2, name: `Peripherals ${tag}` }).waitFor();
    expect(await seriousViolations(requester)).toEqual([]);
    await screenshot(requester, 'catalog');

    await card.getByRole('link', { name: `Request ${name}` }).click();
    await requester.getByRole('heading', { level: 1, name: 'New request' }).waitFor();
    await expect(requester.getByLabel('Catalogue item').inputValue()).resolves.toBe(key);
    const chosen = requester.getByTestId('chosen-catalog-item');
    await chosen.getByText(`From the catalogue: ${name}`).waitFor();
    await chosen.getByText(description).waitFor();
    await requester.getByLabel('Title').fill(`A keyboard for my desk ${tag}`);
    await requester.getByLabel('Description').fill('My wrists hurt');
    expect(await seriousViolations(requester)).toEqual([]);
    await screenshot(requester, 'catalog-request');
    await requester.getByRole('button', { name: 'Submit request' }).click();

    await requester
      .getByRole('heading', {
        level: 1,
        name: new RegExp(`REQ\\d{7} · A keyboard for my desk ${tag}`),
      })
      .waitFor();
    await requester.getByText(key, { exact: true }).waitFor();
    await requester.getByText('network', { exact: true }).first().waitFor();
  });
});
