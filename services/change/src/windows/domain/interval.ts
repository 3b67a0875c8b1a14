/** A span of time, start included, end excluded (as UTC instants). */
export interface Interval {
  start: Date;
  end: Date;
}

/** Whether two half-open intervals share an instant; touching ends do not. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/** Whether `outer` holds all of `inner`. */
export function contains(outer: Interval, inner: Interval): boolean {
  return (
    outer.start.getTime() <= inner.start.getTime() && inner.end.getTime() <= outer.end.getTime()
  );
}
