/**
 * A row named at `/api/v1/operations/…/{id}` without its service: either its id alone (a
 * service's own row number, which two services may share) or its `ref` from the lists of
 * every service (`<service>-<id>`, `incident-42`), which names its service and so is
 * never ambiguous.
 */
export interface RowReference {
  id: string;
  /** Set when the reference names its service. */
  service?: string;
}

const REFERENCE = /^(?:([a-z]+)-)?([1-9][0-9]{0,18})$/;

/** The `ref` a row of `service` is listed with. */
export function rowRef(service: string, id: string): string {
  return `${service}-${id}`;
}

/** `text` as a row reference to one of `services`; undefined when it is none. */
export function rowReference(text: string, services: readonly string[]): RowReference | undefined {
  const match = REFERENCE.exec(text);
  if (!match) return undefined;
  const [, service, id] = match;
  if (id === undefined) return undefined;
  if (service === undefined) return { id };
  return services.includes(service) ? { id, service } : undefined;
}
