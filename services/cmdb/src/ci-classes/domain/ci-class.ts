import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Which identifier a discovery import matches existing CIs on; see identification.ts. */
export const IDENTIFIER_KINDS = [
  'serialNumber',
  'fqdn',
  'hostname',
  'cloudId',
  'ipAddresses',
  'name',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** The rule order a class without its own (and without an ancestor's) uses. */
export const DEFAULT_IDENTIFICATION_RULES: readonly IdentifierKind[] = [
  'serialNumber',
  'fqdn',
  'hostname',
  'cloudId',
  'ipAddresses',
];

/**
 * Per-field source precedence a class declares: field (`name`, `environment`,
 * `identifiers.hostname`, `attributes.memoryMb`, …) → discovery sources, highest first.
 * A field not named falls back to the nearest ancestor's list, then to the global order.
 */
export type FieldSourcePrecedence = Record<string, string[]>;

/** The CI fields (besides `attributes.<name>`) a class may give a source precedence of their own. */
export const PRECEDENCE_CORE_FIELDS = [
  'name',
  'status',
  'environment',
  'ownerGroup',
  'restricted',
  'criticality',
  'identifiers.serialNumber',
  'identifiers.hostname',
  'identifiers.fqdn',
  'identifiers.ipAddresses',
  'identifiers.cloudId',
] as const;

/** How a discovery source is named (as an import's `source`). */
export const SOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

/** A JSON Schema for one attribute (any keyword ajv knows, e.g. `{ type: 'integer', minimum: 1 }`). */
export type AttributeSchema = Record<string, unknown>;

export interface CiClassDefinition {
  /** Lower snake case, unique: what a CI's `class` names. */
  name: string;
  label: string;
  parent: string | null;
  description: string;
  /** An abstract class only groups others: no CI can be of it. */
  abstract: boolean;
  /** The attributes this class adds to those it inherits. */
  attributes: Record<string, AttributeSchema>;
  /** Attribute names (own or inherited) a CI of this class must have. */
  required: string[];
  /** Null: the nearest ancestor's rules apply (or the default). */
  identificationRules: IdentifierKind[] | null;
  /** Fields whose sources rank differently for this class (and its subclasses) than the global order. */
  sourcePrecedence: FieldSourcePrecedence;
}

/** What a change to an existing class may set; absent leaves it as it is. */
export interface CiClassChanges {
  description?: string;
  /** Null: inherit again. */
  identificationRules?: IdentifierKind[] | null;
  /** Replaces the class's own per-field precedence whole (`{}` removes it). */
  sourcePrecedence?: FieldSourcePrecedence;
}

export interface AttributeProblem {
  field: string;
  message: string;
}

export const CLASS_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const ATTRIBUTE_NAME_PATTERN = /^[a-z][a-zA-Z0-9]{0,62}$/;

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv;
}

/** The JSON Schema of a class's attributes: its own plus every ancestor's, nothing else allowed. */
export interface ComposedSchema {
  type: 'object';
  additionalProperties: false;
  properties: Record<string, AttributeSchema>;
  required: string[];
}

/**
 * The class hierarchy, immutable: lineage, subclasses, the attribute schema each class
 * inherits, and which new classes or attributes it accepts.
 */
export class ClassHierarchy {
  private readonly byName: ReadonlyMap<string, CiClassDefinition>;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly precedences = new Map<string, FieldSourcePrecedence>();

  constructor(classes: readonly CiClassDefinition[]) {
    this.byName = new Map(classes.map((definition) => [definition.name, definition]));
  }

  get classes(): CiClassDefinition[] {
    return [...this.byName.values()];
  }

  find(name: string): CiClassDefinition | undefined {
    return this.byName.get(name);
  }

  /** The class and its ancestors, nearest first. */
  lineage(name: string): CiClassDefinition[] {
    const chain: CiClassDefinition[] = [];
    const seen = new Set<string>();
    for (let current = this.byName.get(name); current;) {
      if (seen.has(current.name)) break;
      seen.add(current.name);
      chain.push(current);
      current = current.parent ? this.byName.get(current.parent) : undefined;
    }
    return chain;
  }

  isA(name: string, ancestor: string): boolean {
    return this.lineage(name).some((definition) => definition.name === ancestor);
  }

  /** Whether a CI of one class can be the same thing as one of the other (one refines the other). */
  related(a: string, b: string): boolean {
    return this.isA(a, b) || this.isA(b, a);
  }

  /** The class and every class below it. */
  subclassesOf(name: string): string[] {
    return this.classes
      .filter((definition) => this.isA(definition.name, name))
      .map((definition) => definition.name);
  }

  composedSchema(name: string): ComposedSchema {
    const properties: Record<string, AttributeSchema> = {};
    const required = new Set<string>();
    for (const definition of this.lineage(name).reverse()) {
      Object.assign(properties, definition.attributes);
      definition.required.forEach((attribute) => required.add(attribute));
    }
    return { type: 'object', additionalProperties: false, properties, required: [...required] };
  }

  identificationRules(name: string): readonly IdentifierKind[] {
    const withRules = this.lineage(name).find((definition) => definition.identificationRules);
    return withRules?.identificationRules ?? DEFAULT_IDENTIFICATION_RULES;
  }

  /**
   * The per-field source precedence of a class: its ancestors' lists, each field's list
   * overridden by a nearer class's.
   */
  sourcePrecedence(name: string): Readonly<FieldSourcePrecedence> {
    let effective = this.precedences.get(name);
    if (!effective) {
      effective = {};
      for (const definition of this.lineage(name).reverse())
        Object.assign(effective, definition.sourcePrecedence);
      this.precedences.set(name, effective);
    }
    return effective;
  }

  /**
   * Problems with a CI's attributes for its class, each naming `attributes.<name>`; empty
   * when valid. `partial`: some of the attributes only (a change), so none is required.
   */
  validateAttributes(
    className: string,
    attributes: Record<string, unknown>,
    partial = false,
  ): AttributeProblem[] {
    const key = `${className}${partial ? ':partial' : ''}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const schema = this.composedSchema(className);
      // One Ajv per class: schemas with an `$id` are registered per instance, and the same
      // `$id` may stand for another schema in an unrelated class.
      validate = newAjv().compile(partial ? { ...schema, required: [] } : schema);
      this.validators.set(key, validate);
    }
    if (validate(attributes)) return [];
    return (validate.errors ?? []).map(attributeProblem);
  }

  /** Problems with a class to add; empty when it can be added. */
  checkNewClass(candidate: CiClassDefinition): AttributeProblem[] {
    const problems: AttributeProblem[] = [];
    if (!CLASS_NAME_PATTERN.test(candidate.name))
      problems.push({ field: 'name', message: 'must be lower snake case (a-z, 0-9, _)' });
    if (this.byName.has(candidate.name))
      problems.push({ field: 'name', message: `class ${candidate.name} exists already` });
    if (candidate.parent === null || !this.byName.has(candidate.parent))
      problems.push({ field: 'parent', message: 'must name an existing class' });
    const inherited = candidate.parent ? this.composedSchema(candidate.parent).properties : {};
    problems.push(...this.checkAttributes(candidate.attributes, inherited, 'attributes'));
    const declared = new Set([...Object.keys(inherited), ...Object.keys(candidate.attributes)]);
    candidate.required.forEach((attribute, index) => {
      if (!declared.has(attribute))
        problems.push({ field: `required[${index}]`, message: `${attribute} is not an attribute` });
    });
    problems.push(...checkIdentificationRules(candidate.identificationRules));
    problems.push(...checkSourcePrecedence(candidate.sourcePrecedence, declared));
    return problems;
  }

  /** Problems with a change to an existing class; empty when it can be made. */
  checkClassChanges(className: string, changes: CiClassChanges): AttributeProblem[] {
    if (!this.byName.has(className)) return [{ field: 'name', message: 'there is no such class' }];
    const problems = checkIdentificationRules(changes.identificationRules ?? null);
    if (changes.sourcePrecedence) {
      const attributes = new Set(Object.keys(this.composedSchema(className).properties));
      problems.push(...checkSourcePrecedence(changes.sourcePrecedence, attributes));
    }
    return problems;
  }

  /** Problems with attributes to add to an existing class (or below it, shadowing); empty when acceptable. */
  checkAddedAttributes(
    className: string,
    added: Record<string, AttributeSchema>,
  ): AttributeProblem[] {
    const inherited = this.composedSchema(className).properties;
    const taken = { ...inherited };
    for (const other of this.subclassesOf(className))
      Object.assign(taken, this.find(other)?.attributes ?? {});
    return this.checkAttributes(added, taken, 'attributes');
  }

  private checkAttributes(
    attributes: Record<string, AttributeSchema>,
    taken: Record<string, AttributeSchema>,
    field: string,
  ): AttributeProblem[] {
    const problems: AttributeProblem[] = [];
    const accepted: Record<string, AttributeSchema> = {};
    for (const [name, schema] of Object.entries(attributes)) {
      const path = `${field}.${name}`;
      if (!ATTRIBUTE_NAME_PATTERN.test(name)) {
        problems.push({ field: path, message: 'must be lower camel case (a-z, A-Z, 0-9)' });
        continue;
      }
      if (name in taken) {
        problems.push({
          field: path,
          message: 'is already an attribute of this class or a related one',
        });
        continue;
      }
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
        problems.push({ field: path, message: 'must be a JSON Schema object' });
        continue;
      }
      // Compiled where it will be used: inside a class's schema, beside the attributes it
      // joins, so that a `$ref` that only resolves on its own or an `$id` another attribute
      // uses is refused here rather than failing every later validation.
      const together = { ...taken, ...accepted, [name]: schema };
      try {
        newAjv().compile({ type: 'object', properties: together });
        accepted[name] = schema;
      } catch (error) {
        problems.push({
          field: path,
          message: `is not a valid JSON Schema inside its class's: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    return problems;
  }
}

function checkIdentificationRules(rules: readonly string[] | null): AttributeProblem[] {
  if (rules === null) return [];
  const problems: AttributeProblem[] = [];
  if (rules.length === 0)
    problems.push({
      field: 'identificationRules',
      message: "must name at least one identifier (null inherits the parent's)",
    });
  rules.forEach((rule, index) => {
    if (!(IDENTIFIER_KINDS as readonly string[]).includes(rule))
      problems.push({
        field: `identificationRules[${index}]`,
        message: `must be one of ${IDENTIFIER_KINDS.join(', ')}`,
      });
    else if (rules.indexOf(rule) !== index)
      problems.push({ field: `identificationRules[${index}]`, message: `repeats ${rule}` });
  });
  return problems;
}

/** Each field must be a core field or an attribute the class has; each list distinct source names. */
function checkSourcePrecedence(
  precedence: FieldSourcePrecedence,
  attributes: ReadonlySet<string>,
): AttributeProblem[] {
  const problems: AttributeProblem[] = [];
  for (const [field, sources] of Object.entries(precedence)) {
    const path = `sourcePrecedence.${field}`;
    const attribute = field.startsWith('attributes.') ? field.slice('attributes.'.length) : null;
    if (attribute !== null ? !attributes.has(attribute) : !isCoreField(field)) {
      problems.push({
        field: path,
        message:
          attribute !== null
            ? `${attribute} is not an attribute of this class`
            : `must be attributes.<name> or one of ${PRECEDENCE_CORE_FIELDS.join(', ')}`,
      });
      continue;
    }
    if (!Array.isArray(sources) || sources.length === 0) {
      problems.push({ field: path, message: 'must list at least one source, highest first' });
      continue;
    }
    sources.forEach((source, index) => {
      if (typeof source !== 'string' || !SOURCE_NAME_PATTERN.test(source))
        problems.push({
          field: `${path}[${index}]`,
          message: `must be a source name (${SOURCE_NAME_PATTERN.source})`,
        });
      else if (sources.indexOf(source) !== index)
        problems.push({ field: `${path}[${index}]`, message: `repeats ${source}` });
    });
  }
  return problems;
}

function isCoreField(field: string): boolean {
  return (PRECEDENCE_CORE_FIELDS as readonly string[]).includes(field);
}

function attributeProblem(error: ErrorObject): AttributeProblem {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty)
    return {
      field: ['attributes', ...path, params.missingProperty].join('.'),
      message: 'is required',
    };
  if (error.keyword === 'additionalProperties' && params.additionalProperty)
    return {
      field: ['attributes', ...path, params.additionalProperty].join('.'),
      message: 'is not an attribute of this class',
    };
  return { field: ['attributes', ...path].join('.'), message: error.message ?? 'is not valid' };
}
