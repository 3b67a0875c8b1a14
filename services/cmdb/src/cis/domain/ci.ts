import { type CiIdentifiers, type CiStatus } from '@itsm/contracts';
import { type IdentifierKind } from '../../ci-classes/domain/ci-class';

export { CI_STATUSES, type CiIdentifiers, type CiStatus } from '@itsm/contracts';

/** The source an API caller's change is recorded under. */
export const MANUAL_SOURCE = 'manual';

/** A configuration item's state, as stored. */
export interface Ci {
  id: string;
  class: string;
  name: string;
  status: CiStatus;
  environment: string | null;
  ownerGroup: string | null;
  /** Seen only by the owner group and by those who see every record. */
  restricted: boolean;
  criticality: number | null;
  identifiers: CiIdentifiers;
  attributes: Record<string, unknown>;
  sources: string[];
  /** Which source last set each value: `name`, `status`, `attributes.cpuCount`, `identifiers.hostname`, … */
  provenance: Record<string, string>;
  lastDiscoveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** The values a change or an import item brings; absent means "no opinion", null clears. */
export interface CiValues {
  /** Only a subclass of the current class (discovery learnt more about the CI). */
  class?: string;
  name?: string;
  status?: CiStatus;
  environment?: string | null;
  ownerGroup?: string | null;
  restricted?: boolean;
  criticality?: number | null;
  identifiers?: CiIdentifiers;
  attributes?: Record<string, unknown>;
}

const TOP_LEVEL_FIELDS = [
  'class',
  'name',
  'status',
  'environment',
  'ownerGroup',
  'restricted',
  'criticality',
] as const;
const IDENTIFIER_FIELDS = ['serialNumber', 'hostname', 'fqdn', 'ipAddresses', 'cloudId'] as const;

/**
 * Identifier values in the form they are compared in: host names and FQDNs lower case
 * without a trailing dot (the host name derived from the FQDN when absent), serial
 * numbers upper case, IP addresses trimmed, de-duplicated and sorted; empty values dropped.
 */
export function normalizeIdentifiers(identifiers: CiIdentifiers = {}): CiIdentifiers {
  const clean = (value: string | undefined) => value?.trim() || undefined;
  const host = (value: string | undefined) => clean(value)?.toLowerCase().replace(/\.$/, '');
  const fqdn = host(identifiers.fqdn);
  const hostname = host(identifiers.hostname) ?? fqdn?.split('.')[0];
  const ipAddresses = [
    ...new Set(
      (identifiers.ipAddresses ?? []).map((ip) => ip.trim().toLowerCase()).filter(Boolean),
    ),
  ].sort();
  const normalized: CiIdentifiers = {
    serialNumber: clean(identifiers.serialNumber)?.toUpperCase(),
    hostname,
    fqdn,
    ipAddresses: ipAddresses.length > 0 ? ipAddresses : undefined,
    cloudId: clean(identifiers.cloudId),
  };
  return Object.fromEntries(Object.entries(normalized).filter(([, value]) => value !== undefined));
}

/** Each identifier value of a CI under the kind it is looked up by (the `name` too, lower case). */
export function identifierEntries(
  name: string,
  identifiers: CiIdentifiers,
): { kind: IdentifierKind; value: string }[] {
  const entries: { kind: IdentifierKind; value: string }[] = [
    { kind: 'name', value: name.trim().toLowerCase() },
  ];
  for (const kind of ['serialNumber', 'fqdn', 'hostname', 'cloudId'] as const) {
    const value = identifiers[kind];
    if (value) entries.push({ kind, value });
  }
  for (const ip of identifiers.ipAddresses ?? []) entries.push({ kind: 'ipAddresses', value: ip });
  return entries;
}

/**
 * A restricted CI is seen by its owner group (and those who see every record): without
 * one, it would disappear from everyone who works it.
 */
export function restrictionProblems(ci: Ci): { field: string; message: string }[] {
  return ci.restricted && !ci.ownerGroup
    ? [{ field: 'ownerGroup', message: 'is required while the CI is restricted' }]
    : [];
}

/** Order-insensitive equality for JSON values (object key order does not matter). */
function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/**
 * The source precedence: earlier in the list wins; a source not listed ranks below all
 * listed. A field may have a list of its own (a class's `sourcePrecedence`): for that field
 * its sources rank first, in its order, and every other source below them, in the global
 * order.
 */
export class SourcePrecedence {
  constructor(
    private readonly order: readonly string[],
    private readonly byField: Readonly<Record<string, readonly string[]>> = {},
  ) {}

  /** The same global order with a class's per-field lists. */
  withFieldOrders(byField: Readonly<Record<string, readonly string[]>>): SourcePrecedence {
    return new SourcePrecedence(this.order, byField);
  }

  private rank(source: string, field: string): number {
    const global = this.order.indexOf(source);
    const globalRank = global === -1 ? this.order.length : global;
    const own = this.byField[field];
    if (!own) return globalRank;
    const index = own.indexOf(source);
    return index === -1 ? own.length + globalRank : index;
  }

  /** Whether `source` may replace a value of `field` that `holder` set (a source may always replace its own). */
  mayOverwrite(source: string, holder: string | undefined, field: string): boolean {
    return (
      holder === undefined ||
      holder === source ||
      this.rank(source, field) <= this.rank(holder, field)
    );
  }
}

export interface FieldHeldBack {
  field: string;
  /** The higher-precedence source whose value was kept. */
  heldBy: string;
}

export interface Reconciled {
  ci: Ci;
  /** Dotted field names whose value changed. */
  changedFields: string[];
  previous: Record<string, unknown>;
  /** Values the source brought but could not set, because a higher-precedence source set them. */
  heldBack: FieldHeldBack[];
}

type Assignment = { field: string; value: unknown };

/**
 * What a discovery source says about a CI, its nulls left out: a source that sends
 * `environment: null` has not seen one, which is no opinion, never a removal (an import
 * never removes values; people clear them through the API).
 */
export function discoveredValues<Values extends CiValues>(values: Values): Values {
  const known = <T extends object>(entries: T): Partial<T> =>
    Object.fromEntries(
      Object.entries(entries).filter(([, value]) => value !== null && value !== undefined),
    ) as Partial<T>;
  return {
    ...(known(values) as Values),
    ...(values.identifiers ? { identifiers: known(values.identifiers) } : {}),
    ...(values.attributes ? { attributes: known(values.attributes) } : {}),
  };
}

function assignmentsOf(values: CiValues): Assignment[] {
  const assignments: Assignment[] = [];
  for (const field of TOP_LEVEL_FIELDS)
    if (values[field] !== undefined) assignments.push({ field, value: values[field] });
  const given = (values.identifiers ?? {}) as Record<string, unknown>;
  const identifiers = values.identifiers ? normalizeIdentifiers(values.identifiers) : {};
  for (const field of IDENTIFIER_FIELDS) {
    // An explicit null clears the identifier, unless normalizing filled it (a host name from the FQDN).
    const value = identifiers[field] ?? (given[field] === null ? null : undefined);
    if (value !== undefined) assignments.push({ field: `identifiers.${field}`, value });
  }
  for (const [name, value] of Object.entries(values.attributes ?? {}))
    if (value !== undefined) assignments.push({ field: `attributes.${name}`, value });
  return assignments;
}

function read(ci: Ci, field: string): unknown {
  const [head, tail] = field.split('.', 2) as [string, string | undefined];
  if (head === 'identifiers' && tail) return ci.identifiers[tail as keyof CiIdentifiers] ?? null;
  if (head === 'attributes' && tail) return ci.attributes[tail] ?? null;
  return ci[head as (typeof TOP_LEVEL_FIELDS)[number]] ?? null;
}

function write(ci: Ci, field: string, value: unknown): void {
  const [head, tail] = field.split('.', 2) as [string, string | undefined];
  if (head === 'identifiers' && tail) {
    const identifiers = { ...ci.identifiers } as Record<string, unknown>;
    if (value === null) delete identifiers[tail];
    else identifiers[tail] = value;
    ci.identifiers = identifiers;
  } else if (head === 'attributes' && tail) {
    const attributes = { ...ci.attributes };
    if (value === null) delete attributes[tail];
    else attributes[tail] = value;
    ci.attributes = attributes;
  } else {
    (ci as unknown as Record<string, unknown>)[head] = value;
  }
}

/**
 * Applies the values a source brings to a CI, field by field: a value is set unless a
 * source of higher precedence set the current one (`enforcePrecedence` false, for a
 * person's change through the API, sets every value). Answers the CI as it would be, what
 * changed, and what was held back; the version moves on only when something changed.
 */
export function reconcile(
  current: Ci,
  values: CiValues,
  source: string,
  precedence: SourcePrecedence,
  now: Date,
  enforcePrecedence = true,
): Reconciled {
  const ci: Ci = { ...current, provenance: { ...current.provenance } };
  const changedFields: string[] = [];
  const previous: Record<string, unknown> = {};
  const heldBack: FieldHeldBack[] = [];
  for (const { field, value } of assignmentsOf(values)) {
    const before = read(current, field);
    if (sameValue(before, value)) continue;
    const holder = current.provenance[field];
    if (enforcePrecedence && !precedence.mayOverwrite(source, holder, field)) {
      heldBack.push({ field, heldBy: holder ?? source });
      continue;
    }
    write(ci, field, value);
    if (value === null) delete ci.provenance[field];
    else ci.provenance[field] = source;
    changedFields.push(field);
    previous[field] = before;
  }
  if (changedFields.length > 0) {
    ci.sources = current.sources.includes(source) ? current.sources : [...current.sources, source];
    ci.updatedAt = now;
    ci.version = current.version + 1;
  }
  return { ci, changedFields, previous, heldBack };
}

/** A new CI from the values a source brings; every value given is attributed to that source. */
export function newCi(
  id: string,
  className: string,
  values: CiValues & { name: string },
  source: string,
  now: Date,
  defaultStatus: CiStatus,
): Ci {
  const blank: Ci = {
    id,
    class: className,
    name: values.name,
    status: defaultStatus,
    environment: null,
    ownerGroup: null,
    restricted: false,
    criticality: null,
    identifiers: {},
    attributes: {},
    sources: [source],
    provenance: {},
    lastDiscoveredAt: null,
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
  const { ci } = reconcile(blank, values, source, new SourcePrecedence([]), now, false);
  return { ...ci, provenance: { ...ci.provenance, name: source }, sources: [source], version: 1 };
}
