import { DateTime, IANAZone } from 'luxon';
import { RuleViolation } from '@itsm/domain';

export const PERIOD_KINDS = ['weekly', 'monthly', 'quarterly'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** How many earlier periods a report compares its period with. */
export const TREND_PERIODS = 3;

/** A calendar period of a report, read in a time zone: an ISO week, a month or a quarter. */
export interface ReportPeriod {
  kind: PeriodKind;
  /** `2026-W47`, `2026-11` or `2026-Q4`: the period's name in URLs and stored reports. */
  label: string;
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
  timeZone: string;
}

const LABELS: readonly { kind: PeriodKind; pattern: RegExp }[] = [
  { kind: 'weekly', pattern: /^(\d{4})-W(\d{2})$/ },
  { kind: 'monthly', pattern: /^(\d{4})-(\d{2})$/ },
  { kind: 'quarterly', pattern: /^(\d{4})-Q(\d)$/ },
];

const UNIT: Record<PeriodKind, 'week' | 'month' | 'quarter'> = {
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
};

const FORMAT: Record<PeriodKind, string> = {
  weekly: "kkkk-'W'WW",
  monthly: 'yyyy-MM',
  quarterly: "yyyy-'Q'q",
};

/** Checks a time zone, naming the field that carries it. */
export function timeZoneOf(value: string | undefined, field = 'timezone'): string {
  const timeZone = value ?? 'UTC';
  if (!IANAZone.isValidZone(timeZone))
    throw new RuleViolation(field, 'must be an IANA time zone such as Europe/Paris or UTC');
  return timeZone;
}

function periodStarting(kind: PeriodKind, start: DateTime): ReportPeriod {
  return {
    kind,
    label: start.toFormat(FORMAT[kind]),
    start: start.toJSDate(),
    end: start.plus({ [`${UNIT[kind]}s`]: 1 }).toJSDate(),
    timeZone: start.zoneName ?? 'UTC',
  };
}

/** `2026-11`, `2026-W47` or `2026-Q4` in a time zone; anything else is a fault of `field`. */
export function reportPeriodOf(label: string, timeZone: string, field = 'period'): ReportPeriod {
  for (const { kind, pattern } of LABELS) {
    const match = pattern.exec(label);
    if (!match) continue;
    const year = Number(match[1]);
    const index = Number(match[2]);
    const start =
      kind === 'weekly'
        ? DateTime.fromObject({ weekYear: year, weekNumber: index }, { zone: timeZone })
        : kind === 'monthly'
          ? DateTime.fromObject({ year, month: index }, { zone: timeZone })
          : DateTime.fromObject({ year, month: (index - 1) * 3 + 1 }, { zone: timeZone });
    // Luxon overflows week 54 into the next year: a label must name itself back.
    if (!start.isValid || year < 2000 || start.toFormat(FORMAT[kind]) !== label) break;
    return periodStarting(kind, start.startOf(UNIT[kind]));
  }
  throw new RuleViolation(
    field,
    'must be a month (2026-11), an ISO week (2026-W47) or a quarter (2026-Q4) from the year 2000',
  );
}

/** The period of a kind that holds an instant. */
export function periodContaining(kind: PeriodKind, instant: Date, timeZone: string): ReportPeriod {
  return periodStarting(kind, DateTime.fromJSDate(instant, { zone: timeZone }).startOf(UNIT[kind]));
}

/** The period `count` periods before this one (1: the one just before). */
export function periodBefore(period: ReportPeriod, count = 1): ReportPeriod {
  return periodStarting(
    period.kind,
    DateTime.fromJSDate(period.start, { zone: period.timeZone }).minus({
      [`${UNIT[period.kind]}s`]: count,
    }),
  );
}

/** The latest period that is over at `now`: the one a schedule produces. */
export function lastCompletedPeriod(kind: PeriodKind, now: Date, timeZone: string): ReportPeriod {
  return periodBefore(periodContaining(kind, now, timeZone));
}

/** The period and the {@link TREND_PERIODS} before it, newest first. */
export function periodWithTrend(period: ReportPeriod): ReportPeriod[] {
  return Array.from({ length: TREND_PERIODS + 1 }, (_, index) =>
    index === 0 ? period : periodBefore(period, index),
  );
}
