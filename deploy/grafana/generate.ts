import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Dashboards = typeof import('./dashboards');

/** Writes deploy/grafana/dashboards/*.json from dashboards.ts: `npm run dashboards` (from the repository's root). */
async function generate(): Promise<void> {
  // Node runs this file as it is (type stripping), which needs the extension TypeScript refuses.
  const builder = './dashboards.ts';
  const { dashboards, dashboardText } = (await import(builder)) as Dashboards;
  for (const [file, dashboard] of Object.entries(dashboards()))
    writeFileSync(join(process.cwd(), 'deploy/grafana/dashboards', file), dashboardText(dashboard));
}

void generate();
