import { createHash } from 'node:crypto';

/**
 * The shape of the generated incident population: who, what, where, and the words titles
 * and descriptions are made of. The generator (generate.ts) draws from these lists in SQL;
 * the query shapes and the create bodies pick their values from the same lists, so every
 * filter the benchmark sends matches what a desk would find.
 */

/** The directory's assignment groups (the gateway seeds them), with the share of incidents each takes. */
export const GROUPS: readonly { name: string; share: number }[] = [
  { name: 'service-desk', share: 0.45 },
  { name: 'applications', share: 0.25 },
  { name: 'network', share: 0.15 },
  { name: 'database', share: 0.12 },
  { name: 'change-advisory-board', share: 0.03 },
];

/** Assignees per group: 5 groups x 40 = 200 people. */
export const ASSIGNEES_PER_GROUP = 40;

/** The seeded `agent` user works in service-desk: they are the first service-desk assignee. */
export function assigneeName(groupIndex: number, member: number): string {
  const n = groupIndex * ASSIGNEES_PER_GROUP + member;
  return n === 0 ? 'agent' : `tech-${String(n).padStart(3, '0')}`;
}

export const REQUESTERS = 10_000;
/**
 * The seeded `requester` user is one of the generated requesters (with some 450 records),
 * so a requester's own view can be measured through the gateway.
 */
export const SEEDED_REQUESTER_INDEX = 124;
export const requesterName = (n: number): string =>
  n === SEEDED_REQUESTER_INDEX ? 'requester' : `user-${String(n).padStart(5, '0')}`;

export const BUSINESS_SERVICES = 50;
export const CONFIGURATION_ITEMS = 100_000;

/** Category → subcategories, the first ones the most common. */
export const TAXONOMY: Readonly<Record<string, readonly string[]>> = {
  software: ['office', 'erp', 'crm', 'browser', 'licensing'],
  network: ['wifi', 'vpn', 'lan', 'dns', 'firewall'],
  hardware: ['laptop', 'desktop', 'printer', 'monitor', 'phone'],
  access: ['password', 'account', 'permissions', 'mfa'],
  email: ['mailbox', 'delivery', 'calendar', 'spam'],
  database: ['performance', 'replication', 'backup', 'connection'],
  security: ['phishing', 'malware', 'vulnerability'],
  storage: ['share', 'quota', 'backup'],
};

export const TAGS: readonly string[] = [
  'vip',
  'outage',
  'remote-work',
  'recurring',
  'customer-facing',
  'security',
  'onboarding',
  'offboarding',
  'hardware-swap',
  'known-error',
  'workaround',
  'escalated',
  'after-hours',
  'datacenter',
  'branch-office',
  'mobile',
  'audit',
  'compliance',
  'upgrade',
  'migration',
  'license',
  'training',
  'vendor',
  'warranty',
  'monitoring',
  'alert',
  'backlog',
  'weekend',
  'holiday',
  'pilot',
];

/** What breaks: the first entries are far more common than the last (drawn with a power law). */
export const COMPONENTS: readonly string[] = [
  'outlook',
  'vpn',
  'printer',
  'laptop',
  'teams',
  'wifi',
  'sap',
  'password',
  'sharepoint',
  'excel',
  'salesforce',
  'jira',
  'confluence',
  'citrix',
  'monitor',
  'docking station',
  'keyboard',
  'headset',
  'phone',
  'badge reader',
  'payroll',
  'intranet',
  'file share',
  'backup',
  'database',
  'firewall',
  'dns',
  'proxy',
  'load balancer',
  'webshop',
  'crm',
  'erp',
  'warehouse scanner',
  'point of sale',
  'kiosk',
  'projector',
  'zoom',
  'webex',
  'onedrive',
  'dropbox',
  'github',
  'jenkins',
  'kubernetes',
  'kafka',
  'postgres',
  'oracle',
  'ldap',
  'okta',
  'antivirus',
  'encryption',
];

/** How it breaks. "cannot connect" is the phrase the benchmark searches for. */
export const SYMPTOMS: readonly string[] = [
  'cannot connect',
  'is very slow',
  'keeps crashing',
  'shows an error',
  'does not start',
  'freezes',
  'cannot log in',
  'loses connection',
  'does not sync',
  'prints blank pages',
  'times out',
  'is unavailable',
  'rejects my password',
  'reports a certificate error',
  'runs out of space',
  'hangs on startup',
];

export const LOCATIONS: readonly string[] = [
  'headquarters',
  'berlin office',
  'london office',
  'paris office',
  'madrid office',
  'warehouse',
  'data center',
  'home office',
  'branch north',
  'branch south',
  'call center',
  'lab',
];

/** Filler words of work notes and descriptions: what agents and users write. */
export const FILLER: readonly string[] = [
  'user',
  'reports',
  'since',
  'morning',
  'after',
  'update',
  'restart',
  'tried',
  'again',
  'still',
  'same',
  'problem',
  'colleagues',
  'affected',
  'urgent',
  'meeting',
  'deadline',
  'customer',
  'waiting',
  'please',
  'help',
  'checked',
  'cable',
  'settings',
  'reinstalled',
  'cleared',
  'cache',
  'logs',
  'attached',
  'screenshot',
  'yesterday',
  'worked',
  'before',
  'weekend',
  'patch',
  'rollout',
  'ticket',
  'escalate',
  'vendor',
  'contacted',
  'workaround',
  'applied',
  'monitoring',
  'intermittent',
  'several',
  'users',
  'whole',
  'team',
  'floor',
  'building',
];

/** Distinct error codes (`E0000`..`E9999`), one per description: each matches ~1/10,000 of records. */
export const ERROR_CODES = 10_000;
export const errorCode = (n: number): string => `E${String(n).padStart(4, '0')}`;

/**
 * A v4-shaped UUID derived from a name, computed identically in SQL (`uuidSql`): the
 * generated business services, CIs and records get stable ids the benchmark can name
 * without reading them back. (The API validates the shape, so version and variant are set.)
 */
export function nameUuid(name: string): string {
  const hex = createHash('md5').update(name).digest('hex');
  const shaped = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return `${shaped.slice(0, 8)}-${shaped.slice(8, 12)}-${shaped.slice(12, 16)}-${shaped.slice(16, 20)}-${shaped.slice(20)}`;
}

/** `nameUuid` as a SQL expression over a text expression. */
export function uuidSql(nameExpression: string): string {
  return `overlay(overlay(md5(${nameExpression}) placing '4' from 13) placing '8' from 17)::uuid`;
}

export const businessServiceId = (n: number): string => nameUuid(`business-service-${n}`);
export const ciId = (n: number): string => nameUuid(`ci-${n}`);
