/** A field's value before and after one change of a record. */
export interface FieldChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

/** Equality as a record's history sees it: instants by time, lists element by element, objects by content. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, index) => sameValue(value, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]))
    );
  }
  return a === b;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** The fields (other than `ignored`) that differ between two versions of a record, in a stable order. */
export function diffRecords<T extends object>(
  before: T,
  after: T,
  ignored: readonly (keyof T)[],
): FieldChange[] {
  return (Object.keys(after) as (keyof T & string)[])
    .filter((field) => !ignored.includes(field))
    .filter((field) => !sameValue(before[field], after[field]))
    .map((field) => ({ field, oldValue: before[field], newValue: after[field] }));
}

/** The fields a new record was given (every field with a value), as its history and `created` event list them. */
export function fieldsWithValues<T extends object>(
  record: T,
  ignored: readonly (keyof T)[],
): FieldChange[] {
  return (Object.keys(record) as (keyof T & string)[])
    .filter((field) => !ignored.includes(field))
    .filter((field) => {
      const value: unknown = record[field];
      const empty = value === null || value === 0 || value === '' || value === false;
      return !empty && !(Array.isArray(value) && value.length === 0);
    })
    .map((field) => ({ field, oldValue: null, newValue: record[field] }));
}

const MAX_SEQUENCE = 9_999_999;

/** A prefix and seven digits; numbers are never reused, so running out is an error, not a wrap. */
export function numbered(prefix: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`${prefix} sequence ${sequence} is outside 1..${MAX_SEQUENCE}`);
  }
  return `${prefix}${String(sequence).padStart(7, '0')}`;
}
