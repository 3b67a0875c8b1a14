import { readFile } from 'node:fs/promises';
import { type Browser, type Download, type Page } from 'playwright-core';
import { RecordsApi, RunningPlatform, eventually, parseCsv } from '@itsm/testing';
import {
  launchChromium,
  screenshot,
  screenshotOf,
  seriousViolations,
  signIn,
} from './support/browser';

interface Created {
  id: string;
  number: string;
  priority: string;
}

interface KpiAnswer {
  series: { total: { value: number | null } }[];
}

async function downloaded(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, 'utf8');
}

describe('the dashboards in a real browser', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let manager: RecordsApi;
  // A category of this run's own: the test database keeps earlier runs' incidents.
  const category = `console-kpi-${Date.now().toString(36)}`;
  const created: Created[] = [];
  const today = new Date().toISOString().slice(0, 10);

  /** A KPI's total over today, for this run's incidents only. */
  const total = async (metric: string): Promise<number | null> => {
    const response = await manager
      .call('get', `/api/v1/reports/kpis/${metric}`)
      .query({ from: today, category, exact: true })
      .expect(200);
    return (response.body as KpiAnswer).series[0]?.total.value ?? null;
  };

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident', 'reporting']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    for (const [title, impact, urgency] of [
      ['Payroll portal down for everyone', 1, 1],
      ['VPN drops every ten minutes', 2, 2],
      ['Printer on floor 3 jams', 3, 3],
    ] as const) {
      const response = await manager
        .create('incidents', {
          title,
          description: 'for the dashboards',
          impact,
          urgency,
          category,
        })
        .expect(201);
      created.push(response.body as Created);
    }
    await manager.resolveIncident(created[0].id, {
      resolutionCode: 'solved_workaround',
      resolutionNotes: 'Restarted the portal',
    });
    // The reporting service counts them from the events, a moment later.
    await eventually(
      async () =>
        (await total('opened')) === 3 && (await total('resolved')) === 1 ? true : undefined,
      { description: 'the reporting KPIs to count the incidents', timeoutMs: 30_000 },
    );
    browser = await launchChromium();
    // UTC: the dashboards' days are the browser's, and the test reads today in UTC.
    const context = await browser.newContext({
      baseURL: platform.gatewayUrl,
      timezoneId: 'UTC',
      acceptDownloads: true,
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows an incident manager the figures, filtered, with charts and their tables', async () => {
    await page.goto('/');
    await signIn(page, 'incident_manager');
    await page.getByRole('link', { name: 'Dashboards' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboards' }).waitFor();
    // A tab per section the incident manager may read, the incidents first.
    await expect(page.getByRole('tab').allTextContents()).resolves.toEqual([
      'Incidents',
      'Service requests',
      'Service levels',
      'Problems',
      'Changes',
    ]);
    await page.getByLabel('Category').fill(category);
    await page.waitForURL((url) => url.searchParams.get('category') === category);

    const figure = (metric: string) =>
      page.getByTestId(`figure-${metric}`).getByTestId('figure-value');
    await figure('opened').filter({ hasText: /^3$/ }).waitFor();
    await figure('resolved').filter({ hasText: /^1$/ }).waitFor();
    await figure('backlog').filter({ hasText: /^2$/ }).waitFor();
    await expect(figure('opened').getAttribute('aria-label')).resolves.toBe(
      'Incidents opened: 3. Show the records',
    );

    const volumes = page.getByTestId('chart-incident-volumes');
    const image = volumes.getByTestId('chart-image');
    await image.locator('.recharts-bar-rectangle path').first().waitFor();
    await expect(image.getAttribute('aria-label')).resolves.toContain(
      `Incidents opened: highest 3 (${today})`,
    );
    await screenshotOf(page, 'dashboard-section', 'dashboards');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotOf(page, 'dashboard-section', 'dashboards-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await volumes.getByRole('button', { name: 'Show the figures as a table' }).click();
    const todayRow = volumes.getByRole('row').filter({ hasText: today });
    await expect(todayRow.getByRole('link').allTextContents()).resolves.toEqual(['3', '1']);

    // The backlog by priority: the two open incidents, each under its own priority.
    const backlog = page.getByTestId('chart-incident-backlog');
    await backlog.getByRole('button', { name: 'Show the figures as a table' }).click();
    for (const incident of created.slice(1))
      await expect(
        backlog
          .getByRole('row')
          .filter({ hasText: incident.priority })
          .getByRole('link')
          .textContent(),
      ).resolves.toBe('1');

    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it("downloads a chart's figures as CSV", async () => {
    const volumes = page.getByTestId('chart-incident-volumes');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      volumes
        .getByRole('button', { name: 'Download CSV of Incidents opened and resolved' })
        .click(),
    ]);
    expect(download.suggestedFilename()).toBe(`incidents-opened-and-resolved-${today}.csv`);
    const rows = parseCsv(await downloaded(download));
    expect(rows[0]).toEqual(['Day', 'Incidents opened', 'Incidents resolved']);
    expect(rows).toContainEqual([today, '3', '1']);
  });

  it('drills down from a figure to the records behind it, and downloads them', async () => {
    await page.getByTestId('figure-opened').getByRole('link').click();
    await page
      .getByRole('heading', { level: 1, name: 'Records behind: Incidents opened' })
      .waitFor();
    const records = page.getByTestId('drill-down-records');
    for (const incident of created)
      await records.getByRole('link', { name: incident.number }).waitFor();
    await expect(records.getByRole('row').count()).resolves.toBe(4);
    await expect(page.getByTestId('drill-down-range').textContent()).resolves.toContain(
      `Category: ${category}`,
    );
    await screenshot(page, 'dashboards-records');
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: 'Download CSV of Records behind: Incidents opened' })
        .click(),
    ]);
    const [header, ...rows] = parseCsv(await downloaded(download));
    expect(header.slice(0, 4)).toEqual(['number', 'id', 'at', 'seconds']);
    expect(header).toContain('category');
    expect(rows.map((row) => row[0]).sort()).toEqual(created.map((each) => each.number).sort());
    expect(rows.every((row) => row[header.indexOf('category')] === category)).toBe(true);

    await records.getByRole('link', { name: created[1].number }).click();
    await page
      .getByRole('heading', {
        level: 1,
        name: `${created[1].number} · VPN drops every ten minutes`,
      })
      .waitFor();
  });

  it('drills down from a bar of a chart, and from the keyboard through its table', async () => {
    await page.goto(`/dashboards?category=${category}`);
    const volumes = page.getByTestId('chart-incident-volumes');
    // The last bar drawn: today's resolved incidents (the bars of zero are not drawn).
    await volumes.locator('.recharts-bar-rectangle path').last().click();
    await page
      .getByRole('heading', { level: 1, name: 'Records behind: Incidents resolved' })
      .waitFor();
    const records = page.getByTestId('drill-down-records');
    await records.getByRole('link', { name: created[0].number }).waitFor();
    await expect(records.getByRole('row').count()).resolves.toBe(2);

    await page.goBack();
    await volumes.getByRole('button', { name: 'Show the figures as a table' }).click();
    const link = volumes
      .getByRole('row')
      .filter({ hasText: today })
      .getByRole('link', { name: `Incidents opened, ${today}: 3. Show the records` });
    await link.focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { level: 1, name: 'Records behind: Incidents opened' })
      .waitFor();
    await expect(page.getByTestId('drill-down-records').getByRole('row').count()).resolves.toBe(4);
  });

  it('offers no dashboards to an agent, who may not read KPIs', async () => {
    const agentPage = await (await browser.newContext({ baseURL: platform.gatewayUrl })).newPage();
    await agentPage.goto('/');
    await signIn(agentPage, 'agent');
    await agentPage.getByRole('link', { name: 'Incident queue' }).waitFor();
    await expect(agentPage.getByRole('link', { name: 'Dashboards' }).count()).resolves.toBe(0);
    await agentPage.close();
  });
});
