import {
  OPENAPI_VERSION,
  isHttpMethod,
  type OpenApiDocument,
  type OperationObject,
  type PathItemObject,
  type SecurityRequirement,
  type TagObject,
} from '@itsm/platform';

/** One service's document, named after the service. */
export interface DocumentSource {
  name: string;
  document: OpenApiDocument;
}

export interface MergeOptions {
  info: OpenApiDocument['info'];
  /** Which paths belong in the merged document; the public API's by default. */
  includePath?: (path: string) => boolean;
  /** Services whose document could not be had: named in `x-unavailable-services`. */
  unavailable?: readonly string[];
}

export const UNAVAILABLE_SERVICES_EXTENSION = 'x-unavailable-services';
export const PUBLIC_API_PREFIX = '/api/v1';

export function isPublicApiPath(path: string): boolean {
  return path === PUBLIC_API_PREFIX || path.startsWith(`${PUBLIC_API_PREFIX}/`);
}

type Json = Record<string, unknown>;
type Components = Record<string, Record<string, unknown>>;

const COMPONENT_REF = /^#\/components\/([^/]+)\/([^/]+)$/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted: two values are equal when their canonical forms are. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

const unescapePointer = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');
const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every `#/components/...` reference in a value (`$ref`s and discriminator mappings). */
function componentRefsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) componentRefsIn(item, found);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && COMPONENT_REF.test(item)) found.add(item);
    else if (key === 'mapping' && isObject(item)) {
      for (const target of Object.values(item)) {
        if (typeof target === 'string' && COMPONENT_REF.test(target)) found.add(target);
      }
    } else componentRefsIn(item, found);
  }
}

/** A deep copy with component references renamed. */
function rewriteRefs(value: unknown, renamed: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renamed));
  if (!isObject(value)) return value;
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') result[key] = renamed.get(item) ?? item;
    else if (key === 'mapping' && isObject(item)) {
      result[key] = Object.fromEntries(
        Object.entries(item).map(([name, target]) => [
          name,
          typeof target === 'string' ? (renamed.get(target) ?? target) : target,
        ]),
      );
    } else result[key] = rewriteRefs(item, renamed);
  }
  return result;
}

function operationsIn(item: PathItemObject): [string, OperationObject][] {
  return Object.entries(item).filter(
    (entry): entry is [string, OperationObject] => isHttpMethod(entry[0]) && isObject(entry[1]),
  );
}

/** The component references a set of path items needs, followed through the components themselves. */
function neededComponents(document: OpenApiDocument, items: PathItemObject[]): Set<string> {
  const needed = new Set<string>();
  const queue = new Set<string>();
  componentRefsIn(items, queue);
  while (queue.size > 0) {
    const [ref] = queue;
    queue.delete(ref);
    if (needed.has(ref)) continue;
    needed.add(ref);
    const [, kind, name] = COMPONENT_REF.exec(ref)!;
    const target = document.components?.[kind]?.[unescapePointer(name)];
    const inner = new Set<string>();
    componentRefsIn(target, inner);
    for (const next of inner) if (!needed.has(next)) queue.add(next);
  }
  return needed;
}

function renameSchemes(
  requirements: SecurityRequirement[],
  renamed: Map<string, string>,
): SecurityRequirement[] {
  return requirements.map((requirement) =>
    Object.fromEntries(
      Object.entries(requirement).map(([scheme, scopes]) => [
        renamed.get(scheme) ?? scheme,
        scopes,
      ]),
    ),
  );
}

function schemeName(ref: string): string {
  return unescapePointer(ref.slice('#/components/securitySchemes/'.length));
}

/**
 * Adds a source's components to the merged ones and answers which references had to be
 * renamed. A component is shared when it is alike once its own references are renamed;
 * renaming one can make others that reference it differ, so this runs until nothing changes.
 */
function placeComponents(
  service: string,
  document: OpenApiDocument,
  needed: Set<string>,
  components: Components,
): Map<string, string> {
  const renamed = new Map<string, string>();
  const entries = [...needed].flatMap((ref) => {
    const [, kind, escaped] = COMPONENT_REF.exec(ref)!;
    const name = unescapePointer(escaped);
    const value = document.components?.[kind]?.[name];
    return value === undefined ? [] : [{ ref, kind, name, value }];
  });
  const reserved = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const { ref, kind, name, value } of entries) {
      if (renamed.has(ref)) continue;
      const existing = components[kind]?.[name];
      if (existing === undefined || sameJson(existing, rewriteRefs(value, renamed))) continue;
      const taken = { ...components[kind] };
      for (const key of reserved) taken[key] = true;
      const fresh = freeName(taken, service, name);
      reserved.add(fresh);
      renamed.set(ref, `#/components/${kind}/${escapePointer(fresh)}`);
      changed = true;
    }
  }
  for (const { ref, kind, name, value } of entries) {
    const finalName = renamed.has(ref) ? unescapePointer(renamed.get(ref)!.split('/')[3]) : name;
    const target = (components[kind] ??= {});
    target[finalName] ??= rewriteRefs(value, renamed);
  }
  return renamed;
}

/** A name not yet taken in a component map: `<service>.<name>`, then with a counter. */
function freeName(taken: Record<string, unknown>, service: string, name: string): string {
  let candidate = `${service}.${name}`;
  for (let n = 2; candidate in taken; n += 1) candidate = `${service}.${name}.${n}`;
  return candidate;
}

/**
 * Merges services' OpenAPI 3.1 documents into one: the paths each contributes (the
 * public API's only, by default) with exactly the components they reference. A component
 * two services define alike is kept once; defined differently, the later one is renamed
 * `<service>.<name>` and its references follow. The first source's top-level `security`
 * becomes the document's; an operation of another source that relied on a different
 * top-level requirement gets it as its own. A path or operation id a source repeats
 * keeps its first definition.
 */
export function mergeOpenApiDocuments(
  sources: readonly DocumentSource[],
  options: MergeOptions,
): OpenApiDocument {
  const includePath = options.includePath ?? isPublicApiPath;
  const topSecurity = sources[0]?.document.security;
  const paths: Record<string, PathItemObject> = {};
  const components: Components = {};
  const tags = new Map<string, TagObject>();
  const operationIds = new Set<string>();
  const first = sources[0]?.document;
  if (first && topSecurity) {
    const schemes = new Set(
      topSecurity.flatMap((requirement) =>
        Object.keys(requirement).map(
          (scheme) => `#/components/securitySchemes/${escapePointer(scheme)}`,
        ),
      ),
    );
    placeComponents(sources[0].name, first, schemes, components);
  }

  for (const { name: service, document } of sources) {
    const selected = Object.entries(document.paths ?? {}).filter(([path]) => includePath(path));
    if (selected.length === 0) continue;

    // Components the paths reference, and the security schemes their operations rely on.
    const inheritedSecurity = document.security ?? [];
    const needed = neededComponents(
      document,
      selected.map(([, item]) => item),
    );
    for (const [, item] of selected) {
      for (const [, operation] of operationsIn(item)) {
        const effective = operation.security ?? inheritedSecurity;
        for (const scheme of effective.flatMap((requirement) => Object.keys(requirement))) {
          needed.add(`#/components/securitySchemes/${escapePointer(scheme)}`);
        }
      }
    }
    const renamed = placeComponents(service, document, needed, components);
    const renamedSchemes = new Map(
      [...renamed]
        .filter(([ref]) => ref.startsWith('#/components/securitySchemes/'))
        .map(([from, to]) => [schemeName(from), schemeName(to)]),
    );
    // An operation that relied on its document's top-level security keeps relying on it.
    const inherited = renameSchemes(inheritedSecurity, renamedSchemes);
    const adoptsSecurity = !sameJson(inherited, topSecurity ?? []);

    // Paths and their operations.
    for (const [path, rawItem] of selected) {
      const item = rewriteRefs(rawItem, renamed) as PathItemObject;
      const target = (paths[path] ??= {});
      for (const [key, value] of Object.entries(item)) {
        if (!isHttpMethod(key)) {
          target[key] ??= value;
          continue;
        }
        if (key in target) continue; // another source already answers this method here
        const operation = { ...(value as OperationObject) };
        if (operation.security) {
          operation.security = renameSchemes(operation.security, renamedSchemes);
        } else if (adoptsSecurity) {
          operation.security = inherited;
        }
        if (operation.operationId) {
          if (operationIds.has(operation.operationId)) {
            operation.operationId = `${service}_${operation.operationId}`;
          }
          operationIds.add(operation.operationId);
        }
        for (const tag of operation.tags ?? []) {
          if (!tags.has(tag)) {
            tags.set(
              tag,
              document.tags?.find((candidate) => candidate.name === tag) ?? { name: tag },
            );
          }
        }
        target[key] = operation;
      }
    }
  }

  const sortedComponents: Components = {};
  for (const kind of Object.keys(components).sort()) {
    const entries = Object.entries(components[kind]).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length > 0) sortedComponents[kind] = Object.fromEntries(entries);
  }
  return {
    openapi: OPENAPI_VERSION,
    info: options.info,
    ...(topSecurity ? { security: topSecurity } : {}),
    tags: [...tags.values()].sort((a, b) => a.name.localeCompare(b.name)),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: sortedComponents,
    [UNAVAILABLE_SERVICES_EXTENSION]: [...(options.unavailable ?? [])],
  };
}
