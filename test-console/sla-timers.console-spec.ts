import request from 'supertest';
import { type Browser, type Page } from 'playwright-core';
import { RecordsApi, RunningPlatform, eventually, tokenFor } from '@itsm/testing';
import { launchChromium, newPage, screenshot, seriousViolations, signIn } from './support/browser';

describe("a record's SLA timers in the console", () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let manager: string;
  let slaId: string | undefined;
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
    if (slaId && platform) {
      await request(platform.gatewayUrl)
        .patch(`/api/v1/slas/${slaId}`)
        .set({ authorization: `Bearer ${manager}`, 'if-match': '"1"' })
        .send({ active: false });
    }
    await browser?.close();
    await platform?.stop();
  });

  it('counts the resolution target down on the record page, and shows it paused when the record goes on hold', async () => {
    const sla = await request(platform.gatewayUrl)
      .post('/api/v1/slas')
      .set('authorization', `Bearer ${manager}`)
      .send({
        name: slaName,
        target: 'resolution',
        appliesTo: { recordType: 'incident', category },
        duration: 'PT2H',
      })
      .expect(201);
    slaId = (sla.body as { id: string }).id;
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
});
