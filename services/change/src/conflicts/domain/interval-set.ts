import { type Interval } from '../../windows/domain/interval';

/** Half-open spans as epoch milliseconds: the arithmetic below stays exact and cheap. */
export interface Span {
  start: number;
  end: number;
}

export function spanOf(interval: Interval): Span {
  return { start: interval.start.getTime(), end: interval.end.getTime() };
}

export function intervalOf(span: Span): Interval {
  return { start: new Date(span.start), end: new Date(span.end) };
}

/** The same instants as sorted, disjoint spans; spans that touch or overlap become one. */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((span) => span.end > span.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** The instants in both sets (each given as any spans). */
export function intersection(a: readonly Span[], b: readonly Span[]): Span[] {
  const left = union(a);
  const right = union(b);
  const common: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i].start, right[j].start);
    const end = Math.min(left[i].end, right[j].end);
    if (start < end) common.push({ start, end });
    if (left[i].end < right[j].end) i++;
    else j++;
  }
  return common;
}

/** The instants of `from` that are in none of `removed`. */
export function difference(from: readonly Span[], removed: readonly Span[]): Span[] {
  const holes = union(removed);
  const result: Span[] = [];
  for (const span of union(from)) {
    let cursor = span.start;
    for (const hole of holes) {
      if (hole.end <= cursor || hole.start >= span.end) continue;
      if (hole.start > cursor) result.push({ start: cursor, end: hole.start });
      cursor = Math.max(cursor, hole.end);
      if (cursor >= span.end) break;
    }
    if (cursor < span.end) result.push({ start: cursor, end: span.end });
  }
  return result;
}

/** Whether one span of the set holds all of `inner`. */
export function holds(set: readonly Span[], inner: Span): boolean {
  return union(set).some((span) => span.start <= inner.start && inner.end <= span.end);
}
