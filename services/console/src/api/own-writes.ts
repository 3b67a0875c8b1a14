/**
 * The versions of records this tab wrote itself, noted from the API's answers to its
 * writes, so that a page tells its user of other people's changes only: the live stream
 * carries this tab's own changes too, sometimes before the answer to the write.
 */
const ownVersions = new Set<string>();

const versionKey = (id: string, version: number) => `${id}@${version}`;

/** Notes the record a write was answered with, when the answer is one (an id and a version). */
export function rememberOwnWrite(answer: unknown): void {
  if (typeof answer !== 'object' || answer === null) return;
  const { id, version } = answer as { id?: unknown; version?: unknown };
  if (typeof id === 'string' && typeof version === 'number')
    ownVersions.add(versionKey(id, version));
}

/** Whether this version of the record is one this tab wrote. */
export function isOwnWrite(record: { id: string; version: number }): boolean {
  return ownVersions.has(versionKey(record.id, record.version));
}
