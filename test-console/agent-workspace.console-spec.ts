import { type Browser, type Page } from 'playwright-core';
import {
  EventTypes,
  Topics,
  fromKafkaRecord,
  type IncidentEventV1,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { RunningPlatform, eventually, readWholeTopic, testKafka } from '@itsm/testing';
import { launchChromium, newPage, screenshot, seriousViolations, signIn } from './support/browser';

describe('the agent workspace in a real browser', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  /** The agent's incident, which the requester must not open. */
  let agentsRecordPath: string;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    browser = await launchChromium();
    page = await newPage(browser, platform.gatewayUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('signs an agent in with the local issuer and lands on the queue', async () => {
    await page.goto('/');
    await page.getByLabel('User name').fill('agent');
    await screenshot(page, 'sign-in');
    await page.locator('input[name=password]').fill('itsm-dev');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    expect(page.url()).toMatch(/\/queue$/);
    await screenshot(page, 'queue-empty');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('creates an incident from the keyboard, finds it in the queue and starts work on it', async () => {
    const title = `Printer on floor 3 jams ${Date.now()}`;
    await page.getByRole('link', { name: 'New incident' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('Every second page since this morning');
    await screenshot(page, 'new-incident');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Description').press('Control+Enter');

    const heading = page.getByRole('heading', { level: 1, name: new RegExp(title) });
    await heading.waitFor();
    const number = /INC\d{7}/.exec((await heading.textContent()) ?? '')?.[0];
    expect(number).toBeDefined();
    await expect(page.getByTestId('record-state').textContent()).resolves.toBe('New');
    expect(await seriousViolations(page)).toEqual([]);

    // The desk's queue: unassigned, open, searched by the title.
    await page.getByRole('link', { name: 'Incident queue' }).click();
    await page.getByLabel('Search').fill(title);
    const row = page.getByRole('row').filter({ hasText: title });
    await row.waitFor();
    await screenshot(page, 'queue');
    await expect(row.textContent()).resolves.toContain(number);
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('link', { name: number }).click();
    agentsRecordPath = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Move to In progress' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move to In progress' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // Taking up unassigned work of one's own group assigns it to oneself unless unticked.
    await expect(dialog.getByLabel('Assign to me').isChecked()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId('record-state').filter({ hasText: 'In progress' }).waitFor();
    const assignee = page
      .getByText('Assignee', { exact: true })
      .first()
      .locator('xpath=following-sibling::*[1]');
    await expect(assignee.textContent()).resolves.toBe('agent');
    await page.getByRole('button', { name: 'Move to On hold' }).waitFor();
    await screenshot(page, 'record');
  });

  it('submits a service request, approves it and finds it in the request queue', async () => {
    const title = `Second monitor for the new starter ${Date.now()}`;
    await page.getByRole('link', { name: 'New request' }).click();
    await page.getByRole('heading', { level: 1, name: 'New request' }).waitFor();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('27 inch, USB-C');
    await page.getByLabel('Catalogue item').fill('monitor-27');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Catalogue item').press('Control+Enter');

    const heading = page.getByRole('heading', { level: 1, name: new RegExp(title) });
    await heading.waitFor();
    const number = /REQ\d{7}/.exec((await heading.textContent()) ?? '')?.[0];
    expect(number).toBeDefined();
    await expect(page.getByTestId('record-state').textContent()).resolves.toBe('Submitted');
    await page.getByText('monitor-27', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Move to Approved' }).click();
    await page
      .getByRole('dialog', { name: 'Move to Approved' })
      .getByRole('button', { name: 'Confirm' })
      .click();
    await page.getByTestId('record-state').filter({ hasText: 'Approved' }).waitFor();
    await page.getByRole('button', { name: 'Move to Fulfilling' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'request-record');

    await page.getByRole('link', { name: 'Request queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    await page.getByLabel('Search').fill(title);
    const row = page.getByRole('row').filter({ hasText: title });
    await row.filter({ hasText: 'Approved' }).waitFor();
    await expect(row.textContent()).resolves.toContain(number);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('resolves the incident through its dialog, and the resolution is an event on Kafka', async () => {
    const id = agentsRecordPath.split('/').pop() as string;
    await page.goto(agentsRecordPath);
    await page.getByRole('button', { name: 'Move to Resolved' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move to Resolved' });
    await dialog.waitFor();
    await dialog.getByLabel('Resolution code').first().click();
    await page.getByRole('option', { name: 'solved_workaround' }).click();
    await dialog.getByLabel('Resolution notes').fill('Cleared the jam, replaced the roller');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId('record-state').filter({ hasText: 'Resolved' }).waitFor();

    const resolved = await eventually(
      async () =>
        (await readWholeTopic(testKafka(), Topics.incidentEvents))
          .map(({ message }) => fromKafkaRecord(message) as ItsmCloudEvent<IncidentEventV1>)
          .find((event) => event.subject === id && event.type === EventTypes.incident.resolved),
      { description: 'the itsm.incident.resolved.v1 event of the incident resolved on screen' },
    );
    expect(resolved.data.incident).toMatchObject({
      id,
      state: 'resolved',
      resolutionCode: 'solved_workaround',
      resolutionNotes: 'Cleared the jam, replaced the roller',
    });
  });

  it("lets a requester raise an incident and comment on it, but not open someone else's", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'requester');
    await page.getByRole('heading', { name: 'My incidents' }).waitFor();
    // No queue for those who do not work incidents.
    expect(await page.getByRole('link', { name: 'Incident queue' }).count()).toBe(0);

    const title = `VPN drops every hour ${Date.now()}`;
    await page.getByRole('link', { name: 'New incident' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('Since the update');
    await page.getByLabel('Description').press('Control+Enter');
    await page.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
    await page.getByText('No state change is open to you from here.').waitFor();
    await page.getByLabel('Comment (the requester sees it)').fill('It dropped again at 10:00');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByText('It dropped again at 10:00').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'requester-record');

    await page.getByRole('link', { name: 'My incidents' }).click();
    await page.getByRole('row').filter({ hasText: title }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(agentsRecordPath);
    await page.getByText('There is no such incident, or you may not see it.').waitFor();
  });
});
