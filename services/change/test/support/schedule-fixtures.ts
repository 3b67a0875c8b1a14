import { type ChangeWindowKind } from '@itsm/contracts';
import { type Interval } from '../../src/windows/domain/interval';
import { type WindowScope } from '../../src/windows/domain/window-scope';
import {
  type ConflictChange,
  type OtherChange,
  type ScheduledWindow,
} from '../../src/conflicts/domain/schedule';

/** Test data for the conflict and slot unit specs: a small estate and a Wednesday morning change. */

export const WEB = 'a0000000-0000-4000-8000-000000000001';
export const DB = 'a0000000-0000-4000-8000-000000000002';
export const APP = 'a0000000-0000-4000-8000-000000000003';
export const LB = 'a0000000-0000-4000-8000-000000000004';
export const PAYROLL = 'b0000000-0000-4000-8000-000000000001';

export const at = (iso: string) => new Date(iso);

export function interval(start: string, end: string): Interval {
  return { start: at(start), end: at(end) };
}

export function candidate(overrides: Partial<ConflictChange> = {}): ConflictChange {
  return {
    id: 'c0000000-0000-4000-8000-000000000001',
    model: 'normal',
    plannedStart: at('2026-03-25T10:00:00Z'),
    plannedEnd: at('2026-03-25T12:00:00Z'),
    ciIds: [WEB],
    businessServiceIds: [],
    ciClassesById: { [WEB]: ['virtual_server', 'server'], [DB]: 'database' },
    assignee: null,
    blackoutOverrideReason: null,
    ...overrides,
  };
}

let numbered = 0;
let windows = 0;

export function other(
  start: string,
  end: string,
  overrides: Partial<OtherChange> = {},
): OtherChange {
  numbered += 1;
  const suffix = String(numbered).padStart(12, '0');
  return {
    ...candidate({ ciIds: [], plannedStart: at(start), plannedEnd: at(end) }),
    id: `d0000000-0000-4000-8000-${suffix}`,
    number: `CHG${String(numbered).padStart(7, '0')}`,
    state: 'scheduled',
    ...overrides,
  };
}

const WHOLE_ESTATE: WindowScope = { ciIds: [], businessServiceIds: [], ciClasses: [] };

export function window(
  kind: ChangeWindowKind,
  name: string,
  occurrences: Interval[],
  scope: Partial<WindowScope> = {},
  inForceSince: Date | null = null,
): ScheduledWindow {
  windows += 1;
  return {
    id: `e0000000-0000-4000-8000-${String(windows).padStart(12, '0')}`,
    name,
    kind,
    scope: { ...WHOLE_ESTATE, ...scope },
    occurrences,
    inForceSince,
  };
}
