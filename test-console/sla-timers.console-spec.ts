import request from 'supertest';
import { type Browser, type Page } from 'playwright-core';
import { RecordsApi, RunningPlatform, eventually, tokenFor } from '@itsm/testing';
import { launchChromium, newPage, screenshot, seriousViolations, signIn } from './support/browser';

describe("a record's SLA timers in the console", () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let manager: string;
  const slaIds: string[] = [];
  // A category of this run's own, so that the definition applies to this test's record only.
  const category = `console-sla-${Date.now()}`;
  const slaName = `Badge readers fixed in two hours ${Date.now()}`;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident', 'slm']);
    browser = await launchChromium();
    page = await newPage(browser, platform.gatewayUrl);
    manager = await tokenFor(platform.gatewayUrl, 'service_level_manager');
  });

  afterAll(async () => {
    // Definitions outlive the run in the test database: this one applies to nothing more.
    for (const slaId of platform ? slaIds : []) {
      await request(platform.gatewayUrl)
        .patch(`/api/v1/slas/${slaId}`)
        .set({ authorization: `Bearer ${manager}`, 'if-match': '"1"' })
        .send({ active: false });
    }
    await browser?.close();
    await platform?.stop();
  });

  const defineSla = async (body: object): Promise<void> => {
    const sla = await request(platform.gatewayUrl)
      .post('/api/v1/slas')
      .set('authorization', `Bearer ${manager}`)
      .send(body)
      .expect(201);
    slaIds.push((sla.body as { id: string }).id);
  };

  it('counts the resolution target down on the record page, and shows it paused when the record goes on hold', async () => {
    await defineSla({
      name: slaName,
      target: 'resolution',
      appliesTo: { recordType: 'incident', category },
      duration: 'PT2H',
    });
    const colleague = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    const incident = (
      await colleague
        .create('incidents', {
          title: 'Badge reader at the loading bay is dead',
          description: 'Deliveries wait outside',
          impact: 2,
          urgency: 2,
          category,
        })
        .expect(201)
    ).body as { id: string };

    await page.goto('/');
    await signIn(page, 'agent');
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    await page.goto(`/incidents/${incident.id}`);
    const timer = page.getByTestId('sla-timer').filter({ hasText: slaName });
    await timer.getByTestId('sla-state').filter({ hasText: 'Running' }).waitFor();
    const remaining = timer.getByTestId('sla-remaining');
    const first = await remaining.textContent();
    expect(first).toMatch(/^(1h 5\dm \d\ds|2h 00m 00s) left$/);
    // It counts down in the page, between the reads of the timer.
    await eventually(async () => {
      const now = await remaining.textContent();
      return now !== first ? now : undefined;
    });
    await screenshot(page, 'record-sla');
    expect(await seriousViolations(page)).toEqual([]);

    await colleague.transition('incidents', incident.id, { to: 'in_progress' }).expect(200);
    await colleague
      .transition('incidents', incident.id, { to: 'on_hold', holdReason: 'awaiting_vendor' })
      .expect(200);
    await timer.getByTestId('sla-state').filter({ hasText: 'Paused' }).waitFor();
    await timer.getByText('Paused: awaiting_vendor').waitFor();
    expect(await remaining.count()).toBe(0);
  });

  it('the breaching-soon queue lists the timers due within the window, soonest first, counting down, and opens the record', async () => {
    const responseName = `Badge readers answered in half an hour ${Date.now()}`;
    await defineSla({
      name: responseName,
      target: 'response',
      appliesTo: { recordType: 'incident', category },
      duration: 'PT30M',
    });
    const colleague = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    const incident = (
      await colleague
        .create('incidents', {
          title: 'Badge reader at the staff entrance is dead',
          description: 'Staff queue at the door',
          impact: 2,
          urgency: 2,
          category,
        })
        .expect(201)
    ).body as { id: string; number: string };

    await page.goto('/queue?view=breaching&within=1');
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    const rows = page.getByTestId('breaching-timer').filter({ hasText: incident.number });
    // Within the hour: the half-hour response is due, the two-hour resolution is not.
    await rows.filter({ hasText: responseName }).waitFor();
    expect(await rows.count()).toBe(1);
    const left = rows.getByTestId('breaching-remaining');
    expect(await left.textContent()).toMatch(/^(29m \d\ds|30m 00s) left$/);

    await page.getByLabel('Due within').first().click();
    await page.getByRole('option', { name: '4 hours', exact: true }).click();
    await rows.filter({ hasText: slaName }).waitFor();
    // Soonest first: the response, due in half an hour, above the resolution, due in two.
    const order = await rows.allTextContents();
    expect(order.map((text) => (text.includes(responseName) ? 'response' : 'resolution'))).toEqual([
      'response',
      'resolution',
    ]);
    await screenshot(page, 'queue-breaching');
    expect(await seriousViolations(page)).toEqual([]);

    await rows.first().getByRole('link', { name: incident.number }).click();
    await page.waitForURL(`**/incidents/${incident.id}`);
  });
});
