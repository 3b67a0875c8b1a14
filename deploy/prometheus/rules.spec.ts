import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const RULES_DIR = __dirname;

/** Debian's promtool, from `deploy/local/promtool.sh ensure` (which `npm test` runs). */
function promtool(): string {
  const binary = process.env.ITSM_PROMTOOL_BIN;
  if (!binary)
    throw new Error(
      'ITSM_PROMTOOL_BIN is not set: run `deploy/local/promtool.sh ensure` and export its path',
    );
  return binary;
}

const filesEndingWith = (suffix: string) =>
  readdirSync(RULES_DIR)
    .filter((name) => name.endsWith(suffix))
    .sort();
const ruleFiles = filesEndingWith('.rules.yml');

describe('the Prometheus alert rules the platform ships', () => {
  it('are there', () => {
    expect(ruleFiles).not.toEqual([]);
  });

  it.each(ruleFiles)('%s passes promtool’s check', async (file) => {
    const { stdout } = await run(promtool(), ['check', 'rules', join(RULES_DIR, file)]);
    expect(stdout).toContain('SUCCESS');
  });

  it.each(ruleFiles)('%s has unit tests, and they pass', async (file) => {
    const tests = file.replace(/\.rules\.yml$/, '.rules.test.yml');
    expect(filesEndingWith('.rules.test.yml')).toContain(tests);
    // promtool resolves the tests' rule_files against the working directory.
    const { stdout } = await run(promtool(), ['test', 'rules', tests], { cwd: RULES_DIR });
    expect(stdout).toContain('SUCCESS');
  });
});
