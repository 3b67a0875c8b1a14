import { nameUuid } from '../incident/dataset';

/**
 * The shape of the generated problem-management population: the estate incidents and
 * known errors name (CIs, business services, categories), and the words known errors are
 * written in. The generator (generate.ts) draws from these lists in SQL; the search shapes
 * and the incident events pick their values from the same lists, so every request the
 * benchmark sends matches what a desk would find.
 */

/** CIs incidents, problems and known errors name. The first HOT_CIS take a fifth of them. */
export const CONFIGURATION_ITEMS = 20_000;
export const HOT_CIS = 1_000;
/** Share of references that go to the hot CIs (the rest spread evenly over all). */
export const HOT_SHARE = 0.2;

export const BUSINESS_SERVICES = 50;

export const CATEGORIES: readonly string[] = [
  'software',
  'network',
  'hardware',
  'access',
  'email',
  'database',
  'security',
  'storage',
  'printing',
  'telephony',
  'collaboration',
  'erp',
  'crm',
  'hr-systems',
  'finance-systems',
  'web',
  'backup',
  'monitoring',
  'identity',
  'mobile',
];

/** A CI's class, by its index: `CI_CLASSES[index % 8]`. */
export const CI_CLASSES: readonly string[] = [
  'virtual_server',
  'physical_server',
  'database',
  'application',
  'network_device',
  'storage',
  'load_balancer',
  'workstation',
];

export const GROUPS: readonly string[] = [
  'service-desk',
  'applications',
  'network',
  'database',
  'change-advisory-board',
];

/** What breaks (drawn with a power law: the first ones far more often). */
export const COMPONENTS: readonly string[] = [
  'outlook',
  'vpn',
  'sap',
  'citrix',
  'oracle',
  'teams',
  'sharepoint',
  'printer',
  'wifi',
  'payroll',
  'salesforce',
  'load balancer',
  'dns',
  'proxy',
  'file share',
  'backup',
  'kubernetes',
  'kafka',
  'postgres',
  'active directory',
  'okta',
  'jenkins',
  'webshop',
  'warehouse scanner',
  'point of sale',
  'intranet',
  'firewall',
  'storage array',
  'hypervisor',
  'mail gateway',
];

/** How it breaks, as a known error's symptom says it. */
export const SYMPTOMS: readonly string[] = [
  'connections time out under load',
  'users cannot log in after the password change',
  'reports fail with snapshot too old',
  'sessions disconnect every few minutes',
  'the service answers 503 during the nightly batch',
  'synchronisation stops without an error',
  'the client crashes on start-up',
  'queries hang until the session is killed',
  'pages load very slowly from the branch offices',
  'print jobs stay in the queue',
  'certificate warnings appear in the browser',
  'the disk fills up and writes fail',
  'the job runs twice and duplicates records',
  'the add-in is disabled after the update',
  'replication falls behind during the day',
  'logins are rejected with an expired account message',
  'the deployment hangs at the health check',
  'messages are delivered hours late',
];

export const ROOT_CAUSES: readonly string[] = [
  'the undo tablespace is too small for long-running report queries',
  'an expired intermediate certificate on the load balancer',
  'the connection pool is exhausted by a client that leaks connections',
  'a DNS record still points at a decommissioned host',
  'a memory leak in the monitoring agent since the last patch',
  'the log volume has no rotation and fills up',
  'a wrong MTU on the VPN concentrator fragments packets',
  'cached credentials go stale after a password change',
  'a race condition in the synchronisation job',
  'a firmware defect in the storage controller',
  'a group policy disables unsigned add-ins',
  'the proxy blocks the vendor’s new endpoint',
  'an index was dropped by a schema migration',
  'clock skew breaks Kerberos tickets',
  'the license server is unreachable from the new subnet',
  'the transaction log is not backed up and grows without limit',
  'two batch jobs lock the same tables in opposite order',
  'an outdated network driver on the image',
  'the antivirus scanner locks files being written',
  'the session limit on the terminal servers is reached',
  'long garbage collection pauses under the default heap size',
  'the retry policy amplifies load during an outage',
];

export const WORKAROUNDS: readonly string[] = [
  'restart the service on the affected node',
  'clear the local cache and sign in again',
  'connect through the backup VPN gateway',
  'rerun the report outside business hours',
  'use the web client instead of the desktop client',
  'flush the DNS cache and retry',
  'fail over to the secondary node',
  'extend the tablespace temporarily',
  'kill the blocking session from the admin console',
  'roll back to the previous driver',
  'disable the add-in and restart the client',
  'delete old log files by hand',
  'pause the second batch job until the first has finished',
  'add the endpoint to the proxy bypass list',
  'resync the clock with the domain controller',
];

export const SOLUTIONS: readonly string[] = [
  'apply the vendor patch from the latest maintenance release',
  'resize the undo tablespace and set a retention guarantee',
  'renew the certificate chain and automate its rotation',
  'fix the connection leak and cap the pool per client',
  'remove the stale DNS record and lower its TTL',
  'configure log rotation with a size limit',
  'set the MTU consistently across the tunnel',
  'upgrade the storage controller firmware',
  'sign the add-in and update the group policy',
  'recreate the index and add it to the migration checks',
  'schedule the batch jobs in sequence',
  'raise the heap and switch to a low-pause collector',
];

export const VENDORS: readonly string[] = [
  'Oracle',
  'Microsoft',
  'Cisco',
  'VMware',
  'Red Hat',
  'SAP',
  'Dell',
  'HPE',
  'NetApp',
  'Citrix',
];

/** Error code families, by CI class: databases raise ORA-, web tiers HTTP-, workstations Windows codes, the rest E####. */
export const ORA_CODES: readonly string[] = [
  'ORA-01555',
  'ORA-00060',
  'ORA-12541',
  'ORA-12154',
  'ORA-01652',
  'ORA-04031',
  'ORA-00942',
  'ORA-01017',
  'ORA-03113',
  'ORA-00054',
  'ORA-28001',
  'ORA-12170',
  'ORA-01400',
  'ORA-06512',
  'ORA-00904',
];
export const HTTP_CODES: readonly string[] = [
  'HTTP-503',
  'HTTP-502',
  'HTTP-504',
  'HTTP-500',
  'HTTP-429',
  'HTTP-401',
  'HTTP-403',
  'HTTP-404',
];
export const WINDOWS_CODES: readonly string[] = [
  '0x80070005',
  '0x80004005',
  '0x800CCC0E',
  '0x8024402C',
  '0x80072EE7',
];
/** Generic codes `E0000`..`E9999`: each names a few known errors only. */
export const GENERIC_CODES = 10_000;
export const genericCode = (n: number): string => `E${String(n).padStart(4, '0')}`;

export const OPEN_PROBLEM_STATES: readonly string[] = [
  'new',
  'assess',
  'root_cause_analysis',
  'fix_in_progress',
];

export const ciId = (n: number): string => nameUuid(`ci-${n}`);
export const businessServiceId = (n: number): string => nameUuid(`business-service-${n}`);
export const incidentId = (n: number): string => nameUuid(`bench-incident-${n}`);
export const ciClassOf = (n: number): string =>
  CI_CLASSES[n % CI_CLASSES.length] ?? 'virtual_server';
