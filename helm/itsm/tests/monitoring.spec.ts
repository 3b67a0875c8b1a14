import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CHART,
  MINIMAL,
  PROMETHEUS_OPERATOR_APIS,
  REPO_ROOT,
  RELEASE,
  NAMESPACE,
  named,
  ofKind,
  render,
} from './chart';

const DASHBOARDS = join(REPO_ROOT, 'deploy/grafana/dashboards');
const RULES = join(REPO_ROOT, 'deploy/prometheus');
const fullname = RELEASE;
const on = (set: Record<string, unknown>) => ({
  valuesFiles: [MINIMAL],
  apiVersions: PROMETHEUS_OPERATOR_APIS,
  set,
});

const filesIn = (directory: string, suffix: string) =>
  readdirSync(directory)
    .filter((file) => file.endsWith(suffix))
    .sort();
const dashboardFiles = filesIn(DASHBOARDS, '.json');
const ruleFiles = filesIn(RULES, '.rules.yml');

interface RuleGroup {
  name: string;
  rules: { alert: string; annotations: Record<string, string> }[];
}

/**
 * A chart cannot read files outside its directory, and a symbolic link to deploy/ is not
 * what every packager and Git client keeps: helm/itsm/files holds copies, which must be
 * what deploy/ has (`npm run dashboards` copies both).
 */
describe('the chart’s copies of the dashboards and rules', () => {
  it.each([
    ['dashboards', DASHBOARDS, '.json'],
    ['prometheus', RULES, '.rules.yml'],
  ])('files/%s is what deploy/ has, file for file', (copies, source, suffix) => {
    const directory = join(CHART, 'files', copies);
    expect(filesIn(directory, suffix)).toEqual(filesIn(source, suffix));
    for (const file of filesIn(source, suffix))
      expect({ file, text: readFileSync(join(directory, file), 'utf8') }).toEqual({
        file,
        text: readFileSync(join(source, file), 'utf8'),
      });
  });
});

describe('the Grafana dashboards', () => {
  it('are left out by default', () => {
    expect(
      ofKind(render({ valuesFiles: [MINIMAL] }), 'ConfigMap').filter((map) =>
        map.metadata.name.includes('-dashboard-'),
      ),
    ).toEqual([]);
  });

  it('are a ConfigMap each, labelled for Grafana’s sidecar, each holding its dashboard as deploy/ has it', () => {
    const maps = ofKind(render(on({ 'metrics.dashboards.enabled': true })), 'ConfigMap').filter(
      (map) => map.metadata.name.includes('-dashboard-'),
    );
    expect(maps.map((map) => map.metadata.name).sort()).toEqual(
      dashboardFiles.map((file) => `${fullname}-dashboard-${file.replace('.json', '')}`).sort(),
    );
    for (const file of dashboardFiles) {
      const name = file.replace('.json', '');
      const map = named(maps, 'ConfigMap', `${fullname}-dashboard-${name}`);
      expect(map.metadata.namespace).toBe(NAMESPACE);
      expect(map.metadata.labels).toMatchObject({
        grafana_dashboard: '1',
        'app.kubernetes.io/instance': RELEASE,
      });
      expect(JSON.parse(map.data![`itsm-${name}.json`])).toEqual(
        JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')),
      );
    }
  });

  it('go where the sidecar looks, with its labels and annotations', () => {
    const [map] = ofKind(
      render(
        on({
          'metrics.dashboards.enabled': true,
          'metrics.dashboards.namespace': 'monitoring',
          'metrics.dashboards.labels': { grafana_dashboard: 'itsm' },
          'metrics.dashboards.annotations': { grafana_folder: 'ITSM' },
        }),
      ),
      'ConfigMap',
    ).filter((object) => object.metadata.name.includes('-dashboard-'));
    expect(map.metadata.namespace).toBe('monitoring');
    expect(map.metadata.labels!.grafana_dashboard).toBe('itsm');
    expect(map.metadata.annotations).toEqual({ grafana_folder: 'ITSM' });
  });
});

describe('the PrometheusRule', () => {
  const shipped = ruleFiles.flatMap(
    (file) => (parse(readFileSync(join(RULES, file), 'utf8')) as { groups: RuleGroup[] }).groups,
  );

  it('is left out by default, and where the cluster does not serve its API', () => {
    expect(ofKind(render(on({})), 'PrometheusRule')).toEqual([]);
    expect(
      ofKind(
        render({ valuesFiles: [MINIMAL], set: { 'metrics.prometheusRule.enabled': true } }),
        'PrometheusRule',
      ),
    ).toEqual([]);
  });

  it('holds every rule of deploy/prometheus as it is', () => {
    const rule = named(
      render(
        on({
          'metrics.prometheusRule.enabled': true,
          'metrics.prometheusRule.labels': { release: 'kps' },
        }),
      ),
      'PrometheusRule',
      fullname,
    );
    expect(rule.metadata.labels!.release).toBe('kps');
    expect(rule.spec.groups).toEqual(shipped);
  });

  it('links each runbook where the docs are browsed', () => {
    const rule = named(
      render(
        on({
          'metrics.prometheusRule.enabled': true,
          'metrics.prometheusRule.runbookBaseUrl': 'https://git.example.com/itsm/-/blob/main/',
        }),
      ),
      'PrometheusRule',
      fullname,
    );
    const urls = (rule.spec.groups as RuleGroup[]).flatMap((group) =>
      group.rules.map((one) => one.annotations.runbook_url),
    );
    expect(urls.length).toBe(shipped.flatMap((group) => group.rules).length);
    for (const url of urls)
      expect(url).toMatch(
        /^https:\/\/git\.example\.com\/itsm\/-\/blob\/main\/docs\/runbooks\.md#[a-z]+$/,
      );
  });
});
