import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHART, REPO_ROOT } from './chart';

describe('the chart’s README', () => {
  it('documents values.yaml as it is: regenerate it with readme-generator when this fails', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'itsm-readme-')), 'README.md');
    copyFileSync(join(CHART, 'README.md'), copy);
    // Also fails, naming them, when a value has no `## @param` comment.
    execFileSync(
      join(REPO_ROOT, 'node_modules/.bin/readme-generator'),
      ['--values', join(CHART, 'values.yaml'), '--readme', copy],
      { stdio: 'pipe' },
    );
    expect(readFileSync(join(CHART, 'README.md'), 'utf8')).toBe(readFileSync(copy, 'utf8'));
  });
});
