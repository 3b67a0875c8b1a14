import { Anchor, Badge, Table, Text, useMantineTheme, type MantineTheme } from '@mantine/core';
import { memo, useMemo, type CSSProperties } from 'react';
import { Link } from 'react-router';
import type { ServiceRecord } from '../api/types';
import { formatDateTime } from '../layout/date-time';
import { t } from '../strings';
import { PRIORITY_COLORS } from './states';

/**
 * The row clear of the fixed header when scrolled to; the selected one tinted (links keep
 * 4.5:1 on the tint in both schemes) and marked at its start.
 */
const ROW = { scrollMarginTop: 72 };
const SELECTED_ROW = {
  ...ROW,
  backgroundColor: 'light-dark(var(--mantine-color-indigo-0), var(--mantine-color-dark-5))',
};
const SELECTED_MARK = { boxShadow: 'inset 4px 0 0 var(--mantine-primary-color-filled)' };

const TR = Table.classes.tr;
const TD = Table.classes.td;
const ANCHOR = `mantine-focus-auto ${Text.classes.root} ${Anchor.classes.root}`;
const BADGE = Badge.classes.root;
const BADGE_LABEL = Badge.classes.label;

/** Each priority's filled badge colours, as Badge itself resolves them from the theme. */
export function usePriorityBadgeStyles(): Record<string, CSSProperties> {
  const theme = useMantineTheme();
  return useMemo(() => badgeStyles(theme), [theme]);
}

function badgeStyles(theme: MantineTheme): Record<string, CSSProperties> {
  const styles: Record<string, CSSProperties> = {};
  for (const priority of [...Object.keys(PRIORITY_COLORS), '']) {
    const colors = theme.variantColorResolver({
      color: PRIORITY_COLORS[priority] ?? 'gray.7',
      theme,
      variant: 'filled',
    });
    styles[priority] = {
      '--badge-bg': colors.background,
      '--badge-color': colors.color,
      '--badge-bd': colors.border,
    } as CSSProperties;
  }
  return styles;
}

interface QueueRowProps {
  record: ServiceRecord;
  path: string;
  selected: boolean;
  badgeStyles: Record<string, CSSProperties>;
}

/**
 * One row of a queue (`<Table striped highlightOnHover>`), as the plain elements and
 * Mantine classes that Table.Tr, Table.Td, Anchor and Badge render. As components, fifty
 * rows are some six hundred of them, each resolving its props and styles through Mantine's
 * theme: the largest single cost of the workspace's first load (docs/benchmarks-console.md).
 * Memoised, so moving the selection renders two rows, not fifty.
 */
export const QueueRow = memo(function QueueRow({
  record,
  path,
  selected,
  badgeStyles,
}: QueueRowProps) {
  return (
    <tr
      className={TR}
      data-with-row-border
      data-striped="odd"
      data-hover
      data-record-id={record.id}
      aria-selected={selected || undefined}
      style={selected ? SELECTED_ROW : ROW}
    >
      <td className={TD} style={selected ? SELECTED_MARK : undefined}>
        <Link className={ANCHOR} data-underline="hover" to={path}>
          {record.number}
        </Link>
      </td>
      <td className={TD}>{record.title}</td>
      <td className={TD}>
        <div
          className={BADGE}
          data-variant="filled"
          style={badgeStyles[record.priority] ?? badgeStyles['']}
        >
          <span className={BADGE_LABEL}>{record.priority}</span>
        </div>
      </td>
      <td className={TD}>{t.states[record.state] ?? record.state}</td>
      <td className={TD}>{record.assignmentGroup ?? ''}</td>
      <td className={TD}>{record.assignee ?? ''}</td>
      <td className={TD}>{formatDateTime(record.openedAt)}</td>
    </tr>
  );
});
