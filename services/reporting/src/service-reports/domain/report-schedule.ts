import { isUUID } from 'class-validator';
import { RuleViolation } from '@itsm/domain';
import { PERIOD_KINDS, timeZoneOf, type PeriodKind } from './report-period';

export const REPORT_FORMATS = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
} as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

export const RECIPIENT_KINDS = ['user', 'group'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface Recipient {
  kind: RecipientKind;
  /** A username or a group name, as the directory has them. */
  name: string;
}

export const MAX_RECIPIENTS = 50;
/** The directory's names: letters, digits and `._@-`, at most 100 characters. */
const DIRECTORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

/** What a schedule produces, when, and for whom. */
export interface ScheduleSettings {
  serviceId: string;
  periodKind: PeriodKind;
  timeZone: string;
  format: ReportFormat;
  recipients: Recipient[];
  enabled: boolean;
}

/** The body of a create or change, every value as received. */
export interface RawScheduleSettings {
  serviceId?: unknown;
  periodKind?: unknown;
  timeZone?: unknown;
  format?: unknown;
  recipients?: unknown;
  enabled?: unknown;
}

function recipientsOf(value: unknown): Recipient[] {
  if (!Array.isArray(value)) throw new RuleViolation('recipients', 'must be an array');
  if (value.length > MAX_RECIPIENTS)
    throw new RuleViolation('recipients', `must hold at most ${MAX_RECIPIENTS} recipients`);
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const field = `recipients[${index}]`;
    if (typeof entry !== 'object' || entry === null)
      throw new RuleViolation(field, 'must be an object { kind, name }');
    const { kind, name, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined)
      throw new RuleViolation(`${field}.${unknown}`, 'is not a recipient field (kind, name)');
    if (!RECIPIENT_KINDS.includes(kind as RecipientKind))
      throw new RuleViolation(`${field}.kind`, `must be one of ${RECIPIENT_KINDS.join(', ')}`);
    if (typeof name !== 'string' || !DIRECTORY_NAME.test(name))
      throw new RuleViolation(
        `${field}.name`,
        'must be a username or group name: letters, digits and ._@-, 1 to 100 characters',
      );
    const key = `${kind as string}:${name}`;
    if (seen.has(key)) throw new RuleViolation(field, `names ${key} twice`);
    seen.add(key);
    return { kind: kind as RecipientKind, name };
  });
}

/**
 * A schedule's settings checked, the first fault answered naming its field; `current`
 * supplies what a partial change leaves out.
 */
export function scheduleSettingsOf(
  raw: RawScheduleSettings,
  current?: ScheduleSettings,
): ScheduleSettings {
  const serviceId = raw.serviceId ?? current?.serviceId;
  if (typeof serviceId !== 'string' || !isUUID(serviceId))
    throw new RuleViolation('serviceId', 'must be the UUID of a business service');
  const periodKind = raw.periodKind ?? current?.periodKind;
  if (!PERIOD_KINDS.includes(periodKind as PeriodKind))
    throw new RuleViolation('periodKind', `must be one of ${PERIOD_KINDS.join(', ')}`);
  const timeZone = raw.timeZone ?? current?.timeZone ?? 'UTC';
  if (typeof timeZone !== 'string') throw new RuleViolation('timeZone', 'must be a string');
  const format = raw.format ?? current?.format ?? 'pdf';
  if (typeof format !== 'string' || !Object.hasOwn(REPORT_FORMATS, format))
    throw new RuleViolation('format', `must be one of ${Object.keys(REPORT_FORMATS).join(', ')}`);
  const enabled = raw.enabled ?? current?.enabled ?? true;
  if (typeof enabled !== 'boolean') throw new RuleViolation('enabled', 'must be true or false');
  return {
    serviceId,
    periodKind: periodKind as PeriodKind,
    timeZone: timeZoneOf(timeZone, 'timeZone'),
    format: format as ReportFormat,
    recipients:
      raw.recipients === undefined && current
        ? current.recipients
        : recipientsOf(raw.recipients ?? []),
    enabled,
  };
}
