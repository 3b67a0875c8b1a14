import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { RunningPlatform, eventually, tokenFor } from '@itsm/testing';
import {
  launchChromium,
  newPage,
  screenshot,
  screenshotOf,
  seriousViolations,
  signIn,
} from './support/browser';

interface Incident {
  id: string;
  number: string;
}

describe('problem management in a real browser', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  /** The problem manager's tab. */
  let page: Page;
  let incident: Incident;
  /** A word no other record holds, so that searches find this run's records only. */
  const tag = `zq${Date.now().toString(36)}`;
  const title = `Outlook disconnects after the VPN reconnects ${tag}`;
  const workaround = `Restart Outlook once the VPN is up again (${tag})`;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident', 'problem']);
    const agent = await tokenFor(platform.gatewayUrl, 'agent');
    incident = (
      await request(platform.gatewayUrl)
        .post('/api/v1/incidents')
        .set('authorization', `Bearer ${agent}`)
        .send({
          title,
          description: 'Mail stops arriving until Outlook is restarted',
          impact: 2,
          urgency: 2,
        })
        .expect(201)
    ).body as Incident;
    // The problem service learns of the incident from its event, within moments.
    await eventually(
      async () => {
        const answer = await request(platform.gatewayUrl)
          .get(`/api/v1/incidents/${incident.id}/known-errors`)
          .set('authorization', `Bearer ${agent}`);
        return answer.status === 200 ? true : undefined;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        description: 'the problem service to know the incident',
      },
    );
    browser = await launchChromium();
    page = await newPage(browser, platform.gatewayUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('lets a problem manager open a problem from an incident', async () => {
    await page.goto('/');
    await signIn(page, 'problem_manager');
    await page.getByRole('link', { name: 'Problems', exact: true }).waitFor();
    await page.goto(`/incidents/${incident.id}`);
    const matching = page.getByTestId('matching-known-errors');
    await matching.getByText('No known error matches this incident.').waitFor();
    await matching.getByRole('link', { name: 'Open a problem from this incident' }).click();

    await page.getByRole('heading', { level: 1, name: 'New problem' }).waitFor();
    await page.getByText(`Opened from incident ${incident.number}`).waitFor();
    await page.getByLabel('Assignment group').fill('problem-management');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create problem' }).click();

    await page
      .getByRole('heading', { level: 1, name: new RegExp(`PRB\\d{7} · ${title}`) })
      .waitFor();
    await expect(page.getByTestId('problem-state').textContent()).resolves.toBe('New');
    const incidents = page.getByTestId('problem-incidents');
    await incidents.getByRole('link', { name: incident.number }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('moves the problem through its states with the actions the state allows', async () => {
    const actions = async () =>
      page
        .getByRole('button')
        .filter({
          hasText:
            /^(Assess|Confirm and analyse|Close as duplicate|Cancel problem|Root cause found: start the fix|Accept the risk)$/,
        })
        .allTextContents();
    expect((await actions()).sort()).toEqual(['Assess', 'Cancel problem']);

    await page.getByRole('button', { name: 'Assess' }).click();
    let dialog = page.getByRole('dialog', { name: 'Assess' });
    await expect(dialog.getByLabel('Assignment group').inputValue()).resolves.toBe(
      'problem-management',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId('problem-state').filter({ hasText: 'Assess' }).waitFor();
    await page.getByRole('button', { name: 'Confirm and analyse' }).waitFor();
    expect((await actions()).sort()).toEqual([
      'Cancel problem',
      'Close as duplicate',
      'Confirm and analyse',
    ]);

    await page.getByRole('button', { name: 'Confirm and analyse' }).click();
    dialog = page.getByRole('dialog', { name: 'Confirm and analyse' });
    await dialog.getByLabel('Workaround').fill(workaround);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId('problem-state').filter({ hasText: 'Root cause analysis' }).waitFor();

    // The root cause is required to start the fix: Confirm waits for it.
    await page.getByRole('button', { name: 'Root cause found: start the fix' }).click();
    dialog = page.getByRole('dialog', { name: 'Root cause found: start the fix' });
    const confirm = dialog.getByRole('button', { name: 'Confirm' });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('Root cause').fill('The VPN client drops the mail profile’s proxy');
    await confirm.click();
    await page.getByTestId('problem-state').filter({ hasText: 'Fix in progress' }).waitFor();
    await page.getByTestId('problem-workaround').filter({ hasText: workaround }).waitFor();
    await page.getByText('state: assess → root_cause_analysis').waitFor();

    // The workaround goes to the open incidents linked to the problem as a work note.
    await page.getByRole('button', { name: 'Send the workaround to the linked incidents' }).click();
    await page.getByText('Sent: a work note goes on the 1 open linked incident.').waitFor();
    await screenshot(page, 'problem');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('lists the problem, found by search and state', async () => {
    await page.getByRole('link', { name: 'Problems', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Problems' }).waitFor();
    await page.getByLabel('Search').fill(tag);
    const row = page.getByRole('row').filter({ hasText: title });
    await row.waitFor();
    await page.getByRole('combobox', { name: 'State' }).click();
    await page.getByRole('option', { name: 'Fix in progress' }).click();
    await page.getByText('1 problem shown').waitFor();
    await expect(row.textContent()).resolves.toContain('Fix in progress');
    expect(new URL(page.url()).searchParams.get('state')).toBe('fix_in_progress');
    await screenshot(page, 'problems');
    expect(await seriousViolations(page)).toEqual([]);
    await row.getByRole('link').click();
    await page.getByTestId('problem-state').filter({ hasText: 'Fix in progress' }).waitFor();
  });

  it('links another incident found by the words of its title, and unlinks it', async () => {
    const agent = await tokenFor(platform.gatewayUrl, 'agent');
    const another = (
      await request(platform.gatewayUrl)
        .post('/api/v1/incidents')
        .set('authorization', `Bearer ${agent}`)
        .send({ title: `Calendar invites vanish ${tag}`, description: 'x', impact: 3, urgency: 3 })
        .expect(201)
    ).body as Incident;
    await eventually(
      async () =>
        (
          await request(platform.gatewayUrl)
            .get(`/api/v1/incidents/${another.id}/known-errors`)
            .set('authorization', `Bearer ${agent}`)
        ).status === 200
          ? true
          : undefined,
      { timeoutMs: 30_000, intervalMs: 250, description: 'the problem service to know it' },
    );
    const incidents = page.getByTestId('problem-incidents');
    const picker = incidents.getByLabel('Link incidents', { exact: true });
    await picker.fill(tag);
    // The incident linked already is not offered again.
    const offered = page.getByRole('option', { name: new RegExp(another.number) });
    await offered.click();
    await expect(
      page.getByRole('option', { name: new RegExp(incident.number) }).count(),
    ).resolves.toBe(0);
    await page.keyboard.press('Escape');
    expect(await seriousViolations(page)).toEqual([]);
    await incidents.getByRole('button', { name: 'Link', exact: true }).click();
    await incidents.getByRole('link', { name: another.number }).waitFor();
    await incidents.getByText('2 linked incidents').waitFor();

    await incidents.getByRole('button', { name: `Unlink ${another.number}` }).click();
    await incidents.getByRole('link', { name: another.number }).waitFor({ state: 'detached' });
    await incidents.getByText('1 linked incident').waitFor();
    await incidents.getByRole('link', { name: incident.number }).waitFor();
  });

  it('records a known error with the workaround from the problem', async () => {
    const knownErrors = page.getByTestId('problem-known-errors');
    await knownErrors.getByText('No known error has been recorded from this problem.').waitFor();
    await knownErrors.getByRole('link', { name: 'Record a known error' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a known error' }).waitFor();
    await expect(page.getByLabel('Workaround').inputValue()).resolves.toBe(workaround);
    await page.getByLabel('Error code').fill('VPN-0042');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Record known error' }).click();

    await page
      .getByRole('heading', { level: 1, name: new RegExp(`KE\\d{7} · ${title}`) })
      .waitFor();
    await expect(page.getByTestId('known-error-workaround').textContent()).resolves.toBe(
      workaround,
    );
    await expect(page.getByTestId('known-error-status').textContent()).resolves.toBe('Valid');
    await page
      .getByTestId('known-error-problem')
      .filter({ hasText: /PRB\d{7}/ })
      .waitFor();
    await screenshot(page, 'known-error');
    expect(await seriousViolations(page)).toEqual([]);

    // Those who work problems change it: the solution, once there is one.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Solution').fill('Upgrade the VPN client to 5.2');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('solution: – → Upgrade the VPN client to 5.2').waitFor();

    await page.getByRole('link', { name: 'Known errors', exact: true }).click();
    await page.getByLabel('Search').fill(`vpn ${tag}`);
    await page.getByRole('row').filter({ hasText: workaround }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows an agent the matching known error on the incident, with its workaround', async () => {
    const agent = await newPage(browser, platform.gatewayUrl);
    await agent.goto('/');
    await signIn(agent, 'agent');
    await agent.getByRole('link', { name: 'Known errors', exact: true }).waitFor();
    await agent.goto(`/incidents/${incident.id}`);
    const matching = agent.getByTestId('matching-known-errors');
    await matching.getByText(workaround).waitFor();
    await matching.getByText('Similar text').waitFor();
    await screenshotOf(agent, 'matching-known-errors', 'incident-known-errors');
    expect(await seriousViolations(agent)).toEqual([]);

    // And as the agent types a new incident that reads alike, the workaround is offered.
    await agent.getByRole('link', { name: 'New incident' }).click();
    await agent.getByLabel('Title').fill(`outlook keeps disconnecting from vpn ${tag}`);
    const offered = agent.getByTestId('known-workarounds');
    await offered.getByText(workaround).waitFor();
    await offered.getByRole('heading', { name: 'Known workarounds' }).waitFor();
    await screenshot(agent, 'new-incident-workarounds');
    expect(await seriousViolations(agent)).toEqual([]);
    await agent.context().close();
  });

  it('offers a requester the known workarounds as they type, and no problem screens', async () => {
    const requester = await newPage(browser, platform.gatewayUrl);
    await requester.goto('/');
    await signIn(requester, 'requester');
    await requester.getByRole('link', { name: 'New incident' }).click();
    await requester.getByLabel('Title').fill(`outlook keeps disconnecting from vpn ${tag}`);
    await requester.getByLabel('Description').fill('Since this morning');
    // The self-help route: the workaround, without a way into the known error itself.
    const offered = requester.getByTestId('known-workarounds');
    await offered.getByText(workaround).waitFor();
    await expect(offered.getByRole('link').count()).resolves.toBe(0);
    expect(await seriousViolations(requester)).toEqual([]);
    await expect(
      requester.getByRole('link', { name: 'Problems', exact: true }).count(),
    ).resolves.toBe(0);
    await requester.context().close();
  });
});
