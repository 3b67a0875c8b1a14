import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const RULES_DIR = __dirname;
const RUNBOOKS = join(__dirname, '..', '..', 'docs', 'runbooks.md');

interface Rule {
  alert?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const alerts = readdirSync(RULES_DIR)
  .filter((file) => file.endsWith('.rules.yml'))
  .sort()
  .flatMap((file) =>
    (parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: { rules: Rule[] }[] }).groups
      .flatMap((group) => group.rules)
      .filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined),
  );

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchors = [...readFileSync(RUNBOOKS, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
  headingAnchor(heading),
);

describe('every alert the platform ships', () => {
  it('is there, with a name of its own', () => {
    expect(alerts.length).toBeGreaterThan(0);
    expect(new Set(alerts.map((rule) => rule.alert)).size).toBe(alerts.length);
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))(
    '%s has a severity, a summary and a runbook in docs/runbooks.md',
    (_, rule) => {
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      const url = rule.annotations?.runbook_url ?? '';
      expect(url).toMatch(/^docs\/runbooks\.md#[a-z0-9-]+$/);
      expect(anchors).toContain(url.split('#')[1]);
    },
  );

  it('and every runbook is an alert’s', () => {
    const linked = new Set(alerts.map((rule) => rule.annotations?.runbook_url?.split('#')[1]));
    const sections = [...readFileSync(RUNBOOKS, 'utf8').matchAll(/^## (.+)$/gm)].map(
      ([, heading]) => headingAnchor(heading),
    );
    expect(sections.filter((anchor) => !linked.has(anchor))).toEqual([]);
  });
});

describe('a heading’s anchor', () => {
  it('is GitHub’s', () => {
    expect(headingAnchor('ItsmServiceDown')).toBe('itsmservicedown');
    expect(headingAnchor('Backup and restore (PostgreSQL)')).toBe('backup-and-restore-postgresql');
  });
});
