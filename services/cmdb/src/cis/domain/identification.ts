import { type ClassHierarchy, type IdentifierKind } from '../../ci-classes/domain/ci-class';
import { identifierEntries, type CiIdentifiers } from './ci';

/** What identification knows of a CI that an identifier points at. */
export interface KnownCi {
  id: string;
  class: string;
  fqdn?: string;
}

/** The CIs known by each identifier value: those stored plus those created earlier in the same import. */
export class IdentifierIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly cis = new Map<string, KnownCi>();

  private static key(kind: IdentifierKind, value: string): string {
    return `${kind}\u0000${value}`;
  }

  add(ci: KnownCi, name: string, identifiers: CiIdentifiers): void {
    for (const { kind, value } of identifierEntries(name, identifiers))
      this.addEntry(kind, value, ci);
  }

  addEntry(kind: IdentifierKind, value: string, ci: KnownCi): void {
    this.cis.set(ci.id, ci);
    const key = IdentifierIndex.key(kind, value);
    const ids = this.byKey.get(key) ?? new Set<string>();
    ids.add(ci.id);
    this.byKey.set(key, ids);
  }

  lookup(kind: IdentifierKind, value: string): KnownCi[] {
    const ids = this.byKey.get(IdentifierIndex.key(kind, value)) ?? new Set<string>();
    return [...ids].flatMap((id) => {
      const ci = this.cis.get(id);
      return ci ? [ci] : [];
    });
  }
}

export type ConflictReason =
  /** One identifier points at several CIs. */
  | 'ambiguous_identifier'
  /** The item's identifiers point at different CIs. */
  | 'identifiers_disagree'
  /** The identifier belongs to a CI of an unrelated class. */
  | 'class_mismatch';

export type Identification =
  | { outcome: 'new' }
  | { outcome: 'match'; ciId: string; rule: IdentifierKind }
  | { outcome: 'conflict'; reason: ConflictReason; rule: IdentifierKind; ciIds: string[] };

export interface ItemToIdentify {
  class: string;
  name: string;
  /** Normalized (see normalizeIdentifiers). */
  identifiers: CiIdentifiers;
}

function valuesOf(item: ItemToIdentify, kind: IdentifierKind): string[] {
  if (kind === 'name') return [item.name.trim().toLowerCase()];
  if (kind === 'ipAddresses') return item.identifiers.ipAddresses ?? [];
  const value = item.identifiers[kind];
  return value ? [value] : [];
}

/**
 * Whether the item has a value for any of the rules: one that has none can never be
 * matched to a CI again, and each import of it would create another.
 */
export function isIdentifiable(item: ItemToIdentify, rules: readonly IdentifierKind[]): boolean {
  return rules.some((rule) => valuesOf(item, rule).length > 0);
}

/**
 * The rules in order; the first that finds a CI decides, provided the item's other
 * identifiers do not point elsewhere. IP addresses are reassigned (DHCP, cloud) and a name
 * is not unique, so those two identify only when nothing stronger does, and never make
 * a conflict on their own.
 */
export function identify(
  item: ItemToIdentify,
  rules: readonly IdentifierKind[],
  index: IdentifierIndex,
  hierarchy: ClassHierarchy,
): Identification {
  const weak = new Set<IdentifierKind>(['ipAddresses', 'name']);
  let decided: { ciId: string; rule: IdentifierKind } | undefined;
  for (const rule of rules) {
    const values = valuesOf(item, rule);
    if (values.length === 0) continue;
    let found = values.flatMap((value) => index.lookup(rule, value));
    // A host name alone identifies only within one domain: two FQDNs that differ are two hosts.
    if (rule === 'hostname' && item.identifiers.fqdn)
      found = found.filter((ci) => !ci.fqdn || ci.fqdn === item.identifiers.fqdn);
    if (found.length === 0) continue;
    const compatible = found.filter((ci) => hierarchy.related(ci.class, item.class));
    const ids = [...new Set(compatible.map((ci) => ci.id))];
    if (decided) {
      if (weak.has(rule)) continue;
      const elsewhere = [...new Set(found.map((ci) => ci.id))].filter((id) => id !== decided?.ciId);
      if (elsewhere.length > 0)
        return {
          outcome: 'conflict',
          reason: 'identifiers_disagree',
          rule,
          ciIds: [decided.ciId, ...elsewhere],
        };
      continue;
    }
    if (ids.length === 0) {
      if (weak.has(rule)) continue;
      return {
        outcome: 'conflict',
        reason: 'class_mismatch',
        rule,
        ciIds: [...new Set(found.map((ci) => ci.id))],
      };
    }
    if (ids.length > 1) {
      if (weak.has(rule)) continue;
      return { outcome: 'conflict', reason: 'ambiguous_identifier', rule, ciIds: ids };
    }
    decided = { ciId: ids[0], rule };
  }
  return decided ? { outcome: 'match', ...decided } : { outcome: 'new' };
}
