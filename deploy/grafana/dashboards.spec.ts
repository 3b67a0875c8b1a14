import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricNamesIn, metricNamesInVariableQuery } from '../monitoring/promql';
import { dashboards } from './dashboards';

const DIRECTORY = join(__dirname, 'dashboards');

interface Target {
  datasource?: { type?: string; uid?: string };
  expr: string;
  refId: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  datasource?: { type?: string; uid?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: Variable[] };
  panels: Panel[];
}

const files = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.json'))
  .sort();
const read = (file: string) => JSON.parse(readFileSync(join(DIRECTORY, file), 'utf8')) as Dashboard;
const USES_VARIABLE = { type: 'prometheus', uid: '${datasource}' };

describe('the Grafana dashboards the platform ships', () => {
  it('are one for the platform and one per service, each what dashboards.ts builds (`npm run dashboards`)', () => {
    const built = dashboards();
    expect(files).toEqual(Object.keys(built).sort());
    for (const file of files)
      expect({ file, dashboard: read(file) }).toEqual({ file, dashboard: built[file] });
  });

  it('have uids and titles of their own', () => {
    const all = files.map(read);
    expect(new Set(all.map((dashboard) => dashboard.uid)).size).toBe(files.length);
    expect(new Set(all.map((dashboard) => dashboard.title)).size).toBe(files.length);
  });

  describe.each(files)('%s', (file) => {
    const dashboard = read(file);
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

    it('is for a current Grafana (schemaVersion 39 or later)', () => {
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    });

    it('asks for a Prometheus data source, and every panel, query and variable uses it', () => {
      const variables = dashboard.templating.list;
      expect(variables.find((variable) => variable.name === 'datasource')).toMatchObject({
        type: 'datasource',
        query: 'prometheus',
      });
      for (const variable of variables.filter((v) => v.type === 'query'))
        expect({ variable: variable.name, datasource: variable.datasource }).toEqual({
          variable: variable.name,
          datasource: USES_VARIABLE,
        });
      expect(panels.length).toBeGreaterThan(0);
      for (const panel of panels) {
        expect({ panel: panel.title, datasource: panel.datasource }).toEqual({
          panel: panel.title,
          datasource: USES_VARIABLE,
        });
        for (const target of panel.targets ?? [])
          expect({ panel: panel.title, datasource: target.datasource }).toEqual({
            panel: panel.title,
            datasource: USES_VARIABLE,
          });
      }
    });

    it('has namespace and job variables, and every query keeps to them', () => {
      const names = dashboard.templating.list.map((variable) => variable.name);
      expect(names).toEqual(expect.arrayContaining(['namespace', 'job']));
      for (const panel of panels) {
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? [])
          expect(target.expr).toContain('namespace=~"$namespace",job=~"$job"');
      }
    });

    it('has panels with ids of their own and queries Prometheus can parse, each naming a metric', () => {
      expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
      for (const panel of panels)
        for (const target of panel.targets ?? [])
          expect(metricNamesIn(target.expr)).not.toEqual([]);
      for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
        const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
        expect(metricNamesInVariableQuery(query)).not.toEqual([]);
      }
    });
  });
});
