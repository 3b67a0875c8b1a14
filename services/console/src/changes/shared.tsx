import { Badge, Text } from '@mantine/core';
import { t } from '../strings';
import { formatDateTime } from '../layout/date-time';

const c = t.changes;

/** Colours by risk; the theme's autoContrast picks the text colour. */
const RISK_COLORS: Record<string, string> = {
  low: 'teal.9',
  moderate: 'yellow.4',
  high: 'orange.8',
  very_high: 'red.9',
};

export const show = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '–'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

export const when = (iso: string | null | undefined): string => (iso ? formatDateTime(iso) : '–');

/** A planned window in words, in the browser's time zone. */
export function windowText(start: string | null, end: string | null): string {
  return start && end ? c.window(when(start), when(end)) : c.noWindow;
}

export function RiskBadge({ risk }: { risk: string }) {
  return (
    <Badge
      color={RISK_COLORS[risk] ?? 'gray.7'}
      variant="filled"
      miw="max-content"
      data-testid="change-risk"
    >
      {c.risks[risk] ?? risk}
    </Badge>
  );
}

export function StateBadge({ state }: { state: string }) {
  return (
    <Badge variant="default" miw="max-content" data-testid="change-state">
      {c.states[state] ?? state}
    </Badge>
  );
}

export function Field({
  label,
  value,
  testId,
}: {
  label: string;
  value: unknown;
  testId?: string;
}) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text data-testid={testId}>{show(value)}</Text>
    </div>
  );
}

/** A text that may be long: kept with its line breaks. */
export function LongField({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap' }}>{show(value)}</Text>
    </div>
  );
}

/** `2026-12-05T10:04` in the browser's time zone, as `<input type="datetime-local">` wants it. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** An instant from a `datetime-local` value (the browser's time zone); undefined when empty or bad. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
