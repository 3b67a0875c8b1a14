import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCompatible, productionLicenses, renderLicensesDoc } from './dependency-licenses';

const ROOT = join(__dirname, '..');

describe('the licences of the production dependencies', () => {
  it('are all compatible with Apache-2.0', async () => {
    const incompatible = (await productionLicenses(ROOT)).filter(
      ({ license }) => !isCompatible(license),
    );
    expect(incompatible).toEqual([]);
  });

  it('are what docs/dependency-licenses.md lists (run `npm run docs:licenses` after changing dependencies)', async () => {
    const published = readFileSync(join(ROOT, 'docs', 'dependency-licenses.md'), 'utf8');
    expect(published).toBe(renderLicensesDoc(await productionLicenses(ROOT)));
  });
});

describe('reading an SPDX expression', () => {
  it('takes a permissive licence, and a choice with one permissive option', () => {
    expect(isCompatible('MIT')).toBe(true);
    expect(isCompatible('(MIT OR CC0-1.0)')).toBe(true);
    expect(isCompatible('(GPL-3.0-only OR MIT)')).toBe(true);
  });

  it('refuses copyleft, a conjunction with copyleft, unknowns and nested expressions', () => {
    for (const expression of [
      'GPL-3.0-only',
      'AGPL-3.0-or-later',
      'LGPL-2.1-only',
      'SSPL-1.0',
      '(MIT AND GPL-2.0-only)',
      'UNKNOWN',
      'Custom: https://example.com/licence',
      '(MIT OR (GPL-2.0-only AND BSD-3-Clause))',
    ])
      expect(isCompatible(expression)).toBe(false);
  });
});
