/** What a change window covers; all three empty means the whole estate. */
export interface WindowScope {
  ciIds: readonly string[];
  businessServiceIds: readonly string[];
  ciClasses: readonly string[];
}

/**
 * A CI's class as the CMDB knows it: the class alone, or with its ancestors (so that a
 * window on `server` covers a `virtual_server`).
 */
export type CiClasses = string | readonly string[];

export function coversWholeEstate(scope: WindowScope): boolean {
  return (
    scope.ciIds.length === 0 &&
    scope.businessServiceIds.length === 0 &&
    scope.ciClasses.length === 0
  );
}

/**
 * Whether the scope covers one item a change touches (a CI or a business service, itself a
 * CI of the CMDB): named by id in either list, or of a class the scope names.
 */
export function coversItem(
  scope: WindowScope,
  itemId: string,
  classes: CiClasses | undefined,
): boolean {
  if (coversWholeEstate(scope)) return true;
  if (scope.ciIds.includes(itemId) || scope.businessServiceIds.includes(itemId)) return true;
  const lineage = classes === undefined ? [] : typeof classes === 'string' ? [classes] : classes;
  return lineage.some((ciClass) => scope.ciClasses.includes(ciClass));
}

/**
 * Whether the scope covers a change on these items (its CIs and services): the whole estate,
 * or one of them by id or class. A change on no item is covered by whole-estate scopes only.
 */
export function coversAnyItem(
  scope: WindowScope,
  itemIds: readonly string[],
  classesById: Readonly<Record<string, CiClasses>>,
): boolean {
  return (
    coversWholeEstate(scope) ||
    itemIds.some((itemId) => coversItem(scope, itemId, classesById[itemId]))
  );
}
