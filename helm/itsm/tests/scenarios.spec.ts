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
const CUSTOM_RESOURCES = ['HTTPRoute', 'ServiceMonitor', 'KafkaTopic'];

describe.each(scenarios())('the $name scenario (ci/$name-values.yaml)', (scenario) => {
  const options = { valuesFiles: [scenario.file], apiVersions: scenario.apiVersions };
  let manifest: string;

  beforeAll(() => {
    const result = helmTemplate(options);
    if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
    manifest = result.stdout;
  });

  it('passes helm lint --strict', () => {
    const result = helmLint(options);
    expect({ status: result.status, output: result.stderr + result.stdout }).toMatchObject({
      status: 0,
    });
  });

  it('renders objects', () => {
    expect(parseManifests(manifest).length).toBeGreaterThan(10);
  });

  it.each(KUBERNETES_VERSIONS)(
    'is valid against the strict schemas of Kubernetes %s',
    (version) => {
      const { render } = writeManifests({ render: manifest });
      const problems = validateManifests([render], version).get(render)!;
      const unexpected = problems.filter(
        (line) =>
          !CUSTOM_RESOURCES.some(
            (kind) => line.startsWith('WARN') && line.includes(`kind ${kind} `),
          ),
      );
      expect(unexpected).toEqual([]);
    },
  );
});
