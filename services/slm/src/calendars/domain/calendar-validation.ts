import { type FieldError } from '@itsm/platform';
import { WEEKDAYS, isValidTimeZone, minutesOfDay, type WorkingInterval } from './business-calendar';

export interface CalendarFields {
  timeZone: string;
  workingHours: Record<string, WorkingInterval[] | undefined>;
  holidays: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the arithmetic needs of a calendar: a real zone, well-formed intervals that do not
 * overlap, and some working time every week (or no target could ever fall due).
 */
export function calendarErrors(calendar: CalendarFields): FieldError[] {
  const errors: FieldError[] = [];
  if (!isValidTimeZone(calendar.timeZone))
    errors.push({ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' });
  for (const day of Object.keys(calendar.workingHours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      errors.push({
        field: `workingHours.${day}`,
        message: `must be one of ${WEEKDAYS.join(', ')}`,
      });
      continue;
    }
    const intervals = [...(calendar.workingHours[day] ?? [])];
    intervals.forEach((interval, index) => {
      const start = minutesOfDay(interval.start);
      const end = minutesOfDay(interval.end);
      const field = `workingHours.${day}[${index}]`;
      if (start === undefined || start === 1440)
        errors.push({
          field: `${field}.start`,
          message: 'must be a time HH:mm from 00:00 to 23:59',
        });
      else if (end === undefined)
        errors.push({ field: `${field}.end`, message: 'must be a time HH:mm from 00:01 to 24:00' });
      else if (end <= start) errors.push({ field: `${field}.end`, message: 'must be after start' });
    });
    const sorted = intervals
      .map(({ start, end }) => [minutesOfDay(start) ?? 0, minutesOfDay(end) ?? 0])
      .sort((a, b) => a[0] - b[0]);
    if (sorted.some((interval, index) => index > 0 && interval[0] < sorted[index - 1][1]))
      errors.push({ field: `workingHours.${day}`, message: 'intervals must not overlap' });
  }
  const hasWorkingTime = Object.values(calendar.workingHours).some(
    (intervals) => (intervals ?? []).length > 0,
  );
  if (!hasWorkingTime)
    errors.push({ field: 'workingHours', message: 'must have working time on at least one day' });
  calendar.holidays.forEach((holiday, index) => {
    if (!DATE.test(holiday) || Number.isNaN(Date.parse(`${holiday}T00:00:00Z`)))
      errors.push({ field: `holidays[${index}]`, message: 'must be a date YYYY-MM-DD' });
  });
  return errors;
}
