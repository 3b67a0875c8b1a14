import {
  KUBERNETES_VERSIONS,
  helmLint,
  helmTemplate,
  parseManifests,
  scenarios,
  validateManifests,
  writeManifests,
} from './chart';

/** Kinds whose schemas are CRDs, not in Kubernetes' own: kubernetes-validate knows them not. */
const CUSTOM_RESOURCES = ['HTTPRoute', 'ServiceMonitor', 'PrometheusRule', 'KafkaTopic'];

const renders = scenarios().map((scenario) => {
  const options = { valuesFiles: [scenario.file], apiVersions: scenario.apiVersions };
  return { ...scenario, options, template: helmTemplate(options) };
});

// Every render at once per version: one validator process each rather than one per render.
let problems: Map<string, Map<string, string[]>>;
let files: Record<string, string>;
beforeAll(() => {
  files = writeManifests(
    Object.fromEntries(renders.map(({ name, template }) => [name, template.stdout])),
  );
  problems = new Map(
    KUBERNETES_VERSIONS.map((version) => [
      version,
      validateManifests(Object.values(files), version),
    ]),
  );
});

describe.each(renders)('the $name scenario', (scenario) => {
  it('passes helm lint --strict', () => {
    const result = helmLint(scenario.options);
    expect({ status: result.status, output: result.stderr + result.stdout }).toMatchObject({
      status: 0,
    });
  });

  it('renders objects', () => {
    expect(scenario.template.stderr).toBe('');
    expect(scenario.template.status).toBe(0);
    expect(parseManifests(scenario.template.stdout).length).toBeGreaterThan(10);
  });

  it.each(KUBERNETES_VERSIONS)(
    'is valid against the strict schemas of Kubernetes %s',
    (version) => {
      const unexpected = problems
        .get(version)!
        .get(files[scenario.name])!
        .filter(
          (line) =>
            !CUSTOM_RESOURCES.some(
              (kind) => line.startsWith('WARN') && line.includes(`kind ${kind} `),
            ),
        );
      expect(unexpected).toEqual([]);
    },
  );
});
