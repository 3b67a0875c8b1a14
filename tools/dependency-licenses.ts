/**
 * The licences of the production dependencies: rendered into docs/dependency-licenses.md
 * (`npm run docs:licenses`) and checked by a unit test, so the list cannot drift from
 * node_modules and no dependency under a licence incompatible with Apache-2.0 gets in.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { init, type ModuleInfos } from 'license-checker-rseidelsohn';

/**
 * Permissive licences an Apache-2.0 project may ship (the ASF's "category A"), by SPDX id.
 * Copyleft licences (GPL, LGPL, AGPL, MPL, EPL, SSPL...) are absent on purpose.
 */
export const COMPATIBLE_LICENSES = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'Python-2.0',
  'Unlicense',
]);

/**
 * Packages whose package.json declares no licence, so that the checker guesses one from
 * their LICENSE file (marked `*`); each was read by a person, for this exact version.
 */
export const LICENSES_READ_FROM_FILE: Readonly<Record<string, string>> = {
  // pdfkit's PNG decoder; its LICENSE file is the MIT licence text.
  'png-js@2.0.0': 'MIT',
};

export const LICENSES_DOC = join(__dirname, '..', '..', 'docs', 'dependency-licenses.md');

export interface DependencyLicense {
  /** `name@version`. */
  dependency: string;
  license: string;
  repository?: string;
}

/** The production dependencies installed under `root`, our own workspace packages left out. */
export function productionLicenses(root: string): Promise<DependencyLicense[]> {
  return new Promise((resolve, reject) => {
    init({ start: root, production: true, excludePrivatePackages: true }, (error, modules) => {
      if (error) reject(error);
      else resolve(toLicenses(modules));
    });
  });
}

function toLicenses(modules: ModuleInfos): DependencyLicense[] {
  return Object.entries(modules)
    .map(([dependency, info]) => ({
      dependency,
      license:
        LICENSES_READ_FROM_FILE[dependency] ??
        (Array.isArray(info.licenses) ? info.licenses.join(' AND ') : (info.licenses ?? 'UNKNOWN')),
      repository: info.repository,
    }))
    .sort((a, b) => a.dependency.localeCompare(b.dependency));
}

/**
 * Whether an SPDX expression lets us ship the package: `A OR B` needs one compatible
 * choice, `A AND B` needs all of them. Parentheses are flat in every expression npm
 * packages use in practice; anything else is refused and must be looked at by a person.
 */
export function isCompatible(expression: string): boolean {
  const bare = expression.replace(/^\((.*)\)$/, '$1').trim();
  if (/[()]/.test(bare)) return false;
  if (bare.includes(' OR '))
    return bare.split(' OR ').some((part) => COMPATIBLE_LICENSES.has(part.trim()));
  return bare.split(' AND ').every((part) => COMPATIBLE_LICENSES.has(part.trim()));
}

export function renderLicensesDoc(licenses: readonly DependencyLicense[]): string {
  const counts = new Map<string, number>();
  for (const { license } of licenses) counts.set(license, (counts.get(license) ?? 0) + 1);
  const summary = [...counts]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([license, count]) => `| ${license} | ${count} |`);
  const rows = licenses.map(
    ({ dependency, license, repository }) =>
      `| ${repository ? `[${dependency}](${repository})` : dependency} | ${license} |`,
  );
  return [
    '# Licences of the production dependencies',
    '',
    '<!-- Rendered from node_modules by `npm run docs:licenses`; a unit test fails when it is out of date. -->',
    '',
    'The platform is Apache-2.0. Every package it runs with (production dependencies,',
    'transitive ones included; build and test tools are not shipped) is under a licence an',
    'Apache-2.0 project may ship: `tools/dependency-licenses.ts` lists the accepted SPDX',
    'ids, and the unit test `tools/dependency-licenses.spec.ts` fails on any other.',
    '',
    '| licence | packages |',
    '| --- | --: |',
    ...summary,
    '',
    '| package | licence |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (require.main === module) {
  void productionLicenses(join(__dirname, '..', '..')).then((licenses) => {
    writeFileSync(LICENSES_DOC, renderLicensesDoc(licenses));
    console.log(`wrote ${LICENSES_DOC}`);
  });
}
