import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { RunningPlatform, eventually, tokenFor } from '@itsm/testing';
import {
  launchChromium,
  screenshot,
  screenshotOf,
  seriousViolations,
  signIn,
} from './support/browser';

/** The few DOM shapes the graph's pixel search uses (this project compiles without the DOM lib). */
interface CanvasHolder {
  querySelectorAll(selector: 'canvas'): Iterable<{
    width: number;
    height: number;
    clientWidth: number;
    getContext(kind: '2d'): {
      getImageData(
        x: number,
        y: number,
        width: number,
        height: number,
      ): {
        data: Uint8ClampedArray;
        width: number;
      };
    } | null;
  }>;
}

interface Ci {
  id: string;
  name: string;
}

describe('the CMDB screens in a real browser', () => {
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;
  let manager: string;
  const suffix = `t${Date.now().toString(36)}`;
  const names = {
    service: `${suffix} Payments`,
    app: `${suffix}-payments-api`,
    vm: `${suffix}-pay-vm`,
  };
  let vm: Ci;
  /** A moment after the CIs were created and before the VM's CPU count changed, to the second. */
  let beforeChange: Date;

  const api = {
    post: async (path: string, body: object): Promise<Ci> =>
      (
        await request(platform.gatewayUrl)
          .post(path)
          .set('authorization', `Bearer ${manager}`)
          .send(body)
          .expect(201)
      ).body as Ci,
  };

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'cmdb', 'incident']);
    manager = await tokenFor(platform.gatewayUrl, 'configuration_manager');
    const service = await api.post('/api/v1/cis', {
      class: 'business_service',
      name: names.service,
      status: 'operational',
      criticality: 1,
    });
    const app = await api.post('/api/v1/cis', {
      class: 'application_instance',
      name: names.app,
      status: 'operational',
      attributes: { version: '2.4.1', port: 8443 },
    });
    vm = await api.post('/api/v1/cis', {
      class: 'virtual_server',
      name: names.vm,
      status: 'operational',
      environment: 'production',
      identifiers: { hostname: `${suffix}-pay-vm` },
      attributes: { os: 'Debian', cpuCount: 4, hypervisor: 'kvm' },
    });
    await api.post('/api/v1/relationships', {
      type: 'runs_on',
      sourceId: app.id,
      targetId: vm.id,
    });
    await api.post('/api/v1/relationships', {
      type: 'provides',
      sourceId: app.id,
      targetId: service.id,
    });
    // As-of is picked to the second: a whole second after the creates, one before the change.
    await sleep(1100);
    beforeChange = new Date(Math.floor(Date.now() / 1000) * 1000);
    await sleep(1100);
    await request(platform.gatewayUrl)
      .patch(`/api/v1/cis/${vm.id}`)
      .set('authorization', `Bearer ${manager}`)
      .set('If-Match', '"1"')
      .send({ attributes: { cpuCount: 8 } })
      .expect(200);

    browser = await launchChromium();
    // UTC, so the as-of picker's local time is the time the test computes.
    const context = await browser.newContext({ baseURL: platform.gatewayUrl, timezoneId: 'UTC' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('lets an agent search the CMDB by name and class', async () => {
    await page.goto('/');
    await signIn(page, 'agent');
    await page.getByRole('link', { name: 'CMDB' }).click();
    await page.getByRole('heading', { name: 'Configuration items' }).waitFor();

    await page.getByLabel('Name starts with').fill(suffix);
    await page.getByRole('row').filter({ hasText: names.service }).waitFor();
    await page.getByRole('row').filter({ hasText: names.vm }).waitFor();
    // Every CI whose name starts with the run's prefix, and no other, once the filtered page
    // has replaced the unfiltered one (kept on screen while the filtered one loads).
    const expected = Object.values(names).sort();
    const shown = async () =>
      (
        await page
          .getByRole('row')
          .filter({ has: page.getByRole('cell') })
          .allTextContents()
      )
        .map((row) => Object.values(names).find((name) => row.includes(name)) ?? row)
        .sort();
    const found = await eventually(
      async () => {
        const rows = await shown();
        return rows.length === expected.length ? rows : undefined;
      },
      { description: 'the filtered list of CIs' },
    );
    expect(found).toEqual(expected);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('combobox', { name: 'Class' }).fill('Virtual');
    await page.getByRole('option', { name: 'Virtual server' }).click();
    await page.getByText('1 configuration item shown').waitFor();
    const row = page.getByRole('row').filter({ hasText: names.vm });
    await expect(row.textContent()).resolves.toContain('Operational');
    expect(new URL(page.url()).searchParams.get('class')).toBe('virtual_server');
    await screenshot(page, 'cmdb-search');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('link', { name: names.vm }).click();
    await page.getByRole('heading', { level: 1, name: names.vm }).waitFor();
    await page.getByTestId('ci-field-cpuCount').waitFor();
    await screenshot(page, 'cmdb-ci');
  });

  it('shows a CI with its relationships, history, graph and impact', async () => {
    await expect(page.getByTestId('ci-field-cpuCount').textContent()).resolves.toBe('8');
    const relationships = page.getByTestId('ci-relationships');
    await relationships.getByRole('row').filter({ hasText: names.app }).waitFor();
    await expect(
      relationships.getByRole('row').filter({ hasText: names.app }).textContent(),
    ).resolves.toContain('runs_on');
    await page.getByText('attributes.cpuCount: 4 → 8').waitFor();

    // The graph: a canvas with an accessible name, and the same edges as a table.
    const graph = page.getByRole('img', { name: /Dependency graph around/ });
    await graph.waitFor();
    expect(await graph.locator('canvas').count()).toBeGreaterThan(0);
    const edges = page.getByTestId('graph-edges');
    await edges.getByRole('row').filter({ hasText: 'runs_on' }).waitFor();
    await expect(graph.getAttribute('aria-label')).resolves.toContain(
      '2 configuration items, 1 relationship.',
    );

    // Two steps out: the business service the application provides comes in.
    await page.getByRole('combobox', { name: 'Steps shown' }).click();
    await page.getByRole('option', { name: '2' }).click();
    await edges.getByRole('row').filter({ hasText: 'provides' }).waitFor();
    await expect(
      edges.getByRole('row').filter({ hasText: 'provides' }).textContent(),
    ).resolves.toContain(names.service);

    // Upstream impact (on by default): what depends on the VM, its business service first.
    const nodes = page.getByTestId('graph-nodes');
    await expect(
      nodes.getByRole('row').filter({ hasText: names.app }).textContent(),
    ).resolves.toContain('Yes, 1 step away');
    await expect(
      nodes.getByRole('row').filter({ hasText: names.service }).textContent(),
    ).resolves.toContain('Yes, 2 steps away');
    await page
      .getByTestId('impact')
      .getByRole('listitem')
      .filter({ hasText: names.service })
      .waitFor();
    await screenshotOf(page, 'ci-graph-card', 'cmdb-graph');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the CI as it was before a change', async () => {
    const at = beforeChange.toISOString().slice(0, 19);
    await page.getByLabel('Show as of').fill(at);
    await page.getByTestId('as-of-notice').waitFor();
    expect(new URL(page.url()).searchParams.get('asOf')).toBe(beforeChange.toISOString());
    await page.getByTestId('ci-field-cpuCount').filter({ hasText: /^4$/ }).waitFor();
    await expect(page.getByTestId('ci-field-Version').textContent()).resolves.toBe('1');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Now' }).click();
    await page.getByTestId('ci-field-cpuCount').filter({ hasText: /^8$/ }).waitFor();
  });

  it('opens a CI by clicking it in the graph, and another from the text alternative', async () => {
    // The uppermost orange (affected) pixel on the canvas: the application, one step below
    // the VM in the breadth-first layout; the business service is further down.
    const graph = page.getByTestId('ci-graph');
    const spot = await graph.evaluate((element) => {
      for (const canvas of (element as unknown as CanvasHolder).querySelectorAll('canvas')) {
        const context = canvas.getContext('2d');
        if (!context || canvas.width === 0) continue;
        const { data, width } = context.getImageData(0, 0, canvas.width, canvas.height);
        const scale = canvas.width / canvas.clientWidth;
        for (let index = 0; index < data.length; index += 4) {
          const [red, green, blue] = [data[index], data[index + 1], data[index + 2]];
          // #d9480f, the affected CIs' colour (dependency-graph.tsx).
          if (red === 0xd9 && green === 0x48 && blue === 0x0f) {
            const pixel = index / 4;
            return { x: (pixel % width) / scale, y: Math.floor(pixel / width) / scale };
          }
        }
      }
      return undefined;
    });
    expect(spot).toBeDefined();
    if (!spot) return;
    // Straight down from its top corner, on its vertical centre line.
    await graph.click({ position: { x: spot.x, y: spot.y + 12 } });
    await page.getByRole('heading', { level: 1, name: names.app }).waitFor();
    await page
      .getByTestId('graph-edges')
      .getByRole('row')
      .filter({ hasText: 'provides' })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('graph-edges').getByRole('link', { name: names.service }).click();
    await page.getByRole('heading', { level: 1, name: names.service }).waitFor();
    await page
      .getByTestId('ci-relationships')
      .getByRole('row')
      .filter({ hasText: names.app })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("shows an incident's CIs with the business services they affect, and its parent and children", async () => {
    // An incident manager declares the major incident the other is a child of.
    const incidentManager = await tokenFor(platform.gatewayUrl, 'incident_manager');
    const open = async (body: object) =>
      (
        await request(platform.gatewayUrl)
          .post('/api/v1/incidents')
          .set('authorization', `Bearer ${incidentManager}`)
          .send({ impact: 1, urgency: 2, description: 'Card payments fail', ...body })
          .expect(201)
      ).body as { id: string; number: string };
    const parent = await open({ title: `${suffix} payments down`, ciIds: [vm.id], major: true });
    const child = await open({ title: `${suffix} shop checkout fails`, parentId: parent.id });

    await page.goto(`/incidents/${parent.id}`);
    const cis = page.getByTestId('linked-cis');
    await cis.getByRole('link', { name: names.vm }).waitFor();
    // Upstream of the VM: the application on it, and the service the application provides.
    await cis.getByText('2 CIs depend on them, up to 5 steps away.').waitFor();
    const service = cis.getByTestId('impacted-service');
    await service.filter({ hasText: names.service }).filter({ hasText: 'Criticality 1' }).waitFor();
    expect(await service.count()).toBe(1);
    const related = page.getByTestId('related-records');
    await related.getByTestId('child-record').filter({ hasText: child.number }).waitFor();
    await screenshotOf(page, 'linked-cis', 'record-cis');
    expect(await seriousViolations(page)).toEqual([]);

    await related.getByRole('link', { name: child.number }).click();
    await page.waitForURL(`**/incidents/${child.id}`);
    await page.getByTestId('related-records').getByRole('link', { name: parent.number }).waitFor();
    expect(await page.getByTestId('linked-cis').count()).toBe(0);

    await page.goto(`/incidents/${parent.id}`);
    await cis.getByRole('link', { name: names.service }).click();
    await page.getByRole('heading', { level: 1, name: names.service }).waitFor();
  });
});
