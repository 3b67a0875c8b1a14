/**
 * Who is calling: a person with a token or a machine with an API key, as the gateway
 * established it, or another of the platform's services, calling as itself (ADR 12).
 */
export interface Caller {
  /** The user, `api-key:<name>` for an API key, `service:<name>` for a service. */
  username: string;
  /** A service caller has none: what it may do comes from `SERVICE_PERMISSIONS`, by name. */
  roles: string[];
  groups: string[];
  kind: 'user' | 'api_key' | 'service';
}

/** The subjects of service identities: reserved, so no user or API key can be taken for a service. */
export const SERVICE_SUBJECT_PREFIX = 'service:';

/** `change` -> `service:change`. */
export function serviceSubject(service: string): string {
  return `${SERVICE_SUBJECT_PREFIX}${service}`;
}

/** The calling service's name, when the caller is a service (ADR 12); undefined for anyone else. */
export function callingService(caller: Caller): string | undefined {
  return caller.kind === 'service' && caller.username.startsWith(SERVICE_SUBJECT_PREFIX)
    ? caller.username.slice(SERVICE_SUBJECT_PREFIX.length)
    : undefined;
}

/** Record-level visibility: managers and auditors see all; others their own records and their groups'. */
export interface RecordOwnership {
  requester: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
}
