import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { documentedVariables, renderConfigurationDoc } from './configuration-doc';

const ROOT = join(__dirname, '..');

/** Variables of the operating system, not of the platform. */
const NOT_CONFIGURATION = new Set(['PATH']);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !/\.(spec|integration-spec|e2e-spec)\.ts$/.test(path)
      ? [path]
      : [];
  });
}

/**
 * Every environment variable the source of services/ and libs/ reads, tests excluded: by
 * `process.env.X` (or `process.env['X']`), through a parsed environment (`env.X`,
 * `source.X`, `settings.X`, `config.X`), or as a key of a zod schema's shape.
 */
function variablesReadBySource(): Map<string, string> {
  const access =
    /\b(?:process\.env|env|source|settings|environment|config)\??\.([A-Z][A-Z0-9_]*[A-Z0-9])\b/g;
  const index = /process\.env\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\]/g;
  const shapeKey = /^\s*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*:/gm;
  const found = new Map<string, string>();
  for (const top of ['services', 'libs'])
    for (const project of readdirSync(join(ROOT, top))) {
      const source = join(ROOT, top, project, 'src');
      let files: string[];
      try {
        files = sourceFiles(source);
      } catch {
        continue; // a project without src/
      }
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        const patterns = /from 'zod'/.test(text) ? [access, index, shapeKey] : [access, index];
        for (const pattern of patterns)
          for (const [, name] of text.matchAll(pattern))
            if (!NOT_CONFIGURATION.has(name) && !found.has(name))
              found.set(name, relative(ROOT, file));
      }
    }
  return found;
}

describe('docs/configuration.md', () => {
  it('is what the configuration schemas render (run `npm run docs:configuration` after changing them)', () => {
    const published = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    expect(published).toBe(renderConfigurationDoc());
  });

  it('documents every variable the source reads (a new one needs .meta({ description }) in its schema, then `npm run docs:configuration`)', () => {
    const documented = new Set(documentedVariables().map((variable) => variable.name));
    const read = variablesReadBySource();
    const undocumented = [...read]
      .filter(([name]) => !documented.has(name))
      .map(([name, file]) => `${name} (read in ${file})`);
    expect(undocumented).toEqual([]);
  });

  it('finds the variables read through a parsed environment, KAFKA_CONSUMER_START among them', () => {
    const read = variablesReadBySource();
    expect(read.get('KAFKA_CONSUMER_START')).toBe('libs/platform/src/config/service-config.ts');
    expect(read.has('OTEL_SERVICE_NAME')).toBe(true);
    expect(read.size).toBeGreaterThan(100);
    expect(documentedVariables().map((variable) => variable.name)).toContain(
      'KAFKA_CONSUMER_START',
    );
  });

  it('gives a variable several services read the same default everywhere', () => {
    const defaults = new Map<string, Set<string>>();
    for (const variable of documentedVariables())
      defaults.set(variable.name, (defaults.get(variable.name) ?? new Set()).add(variable.default));
    const inconsistent = [...defaults].filter(([, values]) => values.size > 1);
    expect(inconsistent).toEqual([]);
  });

  it('describes each variable once per section and takes its default from the schema', () => {
    const text = renderConfigurationDoc();
    for (const section of text.split('\n## ').slice(1)) {
      const names = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map(([, name]) => name);
      expect(new Set(names).size).toBe(names.length);
    }
    const byName = new Map(documentedVariables().map((variable) => [variable.name, variable]));
    expect(byName.get('KAFKA_CONSUMER_START')?.default).toBe('`earliest`');
    expect(byName.get('IDEMPOTENCY_KEY_RETENTION_HOURS')?.default).toBe('`48`');
    expect(byName.get('INCIDENT_METRICS_PORT')?.default).toBe('`9401`');
    expect(byName.get('AUTH_MODE')?.default).toBe(
      'production: `oidc`; development and test: `local`',
    );
    expect(byName.get('DATABASE_URL')?.default).toBe('**required**');
  });
});
