/**
 * Group memberships and where they come from. A membership is the identity provider's
 * (the groups claim of the user's token, or local mode's seed), the directory API's, or
 * both; it lasts while either grants it. A sign-in changes only what the token grants and
 * the API only what it granted, so neither undoes the other.
 */
export interface Membership {
  group: string;
  fromToken: boolean;
  fromApi: boolean;
}

/** What a sign-in whose token carries `tokenGroups` changes in a user's memberships. */
export interface TokenGroupsPlan {
  /** New memberships, the token's alone. */
  insert: string[];
  /** Memberships the API granted that the token now grants as well. */
  grantByToken: string[];
  /** Memberships the token alone granted and no longer does: they end. */
  remove: string[];
  /** Memberships the token no longer grants that the API still does: they stay. */
  revokeByToken: string[];
}

const unique = (values: readonly string[]): string[] => [...new Set(values)].sort();

/** The groups a user is in, from any source, sorted. */
export function groupsOf(memberships: readonly Membership[]): string[] {
  return unique(memberships.map((membership) => membership.group));
}

/** How a user's memberships follow the groups their token carries now. */
export function planTokenGroups(
  current: readonly Membership[],
  tokenGroups: readonly string[],
): TokenGroupsPlan {
  const wanted = new Set(tokenGroups);
  const byGroup = new Map(current.map((membership) => [membership.group, membership]));
  const plan: TokenGroupsPlan = { insert: [], grantByToken: [], remove: [], revokeByToken: [] };
  for (const group of unique(tokenGroups)) {
    const membership = byGroup.get(group);
    if (!membership) plan.insert.push(group);
    else if (!membership.fromToken) plan.grantByToken.push(group);
  }
  for (const membership of [...current].sort((a, b) => a.group.localeCompare(b.group))) {
    if (!membership.fromToken || wanted.has(membership.group)) continue;
    if (membership.fromApi) plan.revokeByToken.push(membership.group);
    else plan.remove.push(membership.group);
  }
  return plan;
}

/** The groups whose member lists a plan changes: those joined or left, not those merely re-sourced. */
export function groupsChangedBy(plan: TokenGroupsPlan): string[] {
  return unique([...plan.insert, ...plan.remove]);
}

/** What removing a member through the API does to a membership. */
export type ApiRemoval =
  /** The user is not in the group at all. */
  | 'not-a-member'
  /** Only the identity provider grants it: the API cannot take it away. */
  | 'granted-by-token-only'
  /** The API's grant goes; the token's keeps the user in the group. */
  | 'keeps-token-grant'
  /** The API alone granted it: the user leaves the group. */
  | 'leaves';

export function apiRemoval(membership: Membership | undefined): ApiRemoval {
  if (!membership) return 'not-a-member';
  if (!membership.fromApi) return 'granted-by-token-only';
  return membership.fromToken ? 'keeps-token-grant' : 'leaves';
}

/** Prefixes of callers that are not people (API keys, the platform's services): never members. */
export const RESERVED_USERNAME_PREFIXES = ['service:', 'api-key:'] as const;
