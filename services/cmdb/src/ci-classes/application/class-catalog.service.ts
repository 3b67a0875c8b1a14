import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { EventTypes, Topics, type CiClassEventV1, type CiClassSnapshot } from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { NotFoundProblem, PreconditionFailedProblem, ValidationProblem } from '@itsm/platform';
import {
  ClassHierarchy,
  type AttributeSchema,
  type CiClassChanges,
  type CiClassDefinition,
  type FieldSourcePrecedence,
} from '../domain/ci-class';
import { type CiClassEntity } from '../persistence/ci-class.entity';
import { CiClassesRepository } from '../persistence/ci-classes.repository';

export interface CiClassView extends CiClassSnapshot {
  builtIn: boolean;
  /** The JSON Schema a CI's attributes are validated against: this class's and every ancestor's. */
  attributeSchema: Record<string, unknown>;
  /** The identification rules that apply (the class's own, or the nearest ancestor's, or the default). */
  effectiveIdentificationRules: string[];
  sourcePrecedence: FieldSourcePrecedence;
  /** The per-field source precedence that applies: the class's own lists over its ancestors'. */
  effectiveSourcePrecedence: FieldSourcePrecedence;
  createdAt: string;
  updatedAt: string;
}

function toSnapshot(
  entity: CiClassEntity,
): CiClassSnapshot & { sourcePrecedence: FieldSourcePrecedence } {
  return {
    name: entity.name,
    label: entity.label,
    parent: entity.parent,
    description: entity.description,
    abstract: entity.abstract,
    attributes: entity.attributes,
    required: entity.required,
    identificationRules: entity.identificationRules,
    sourcePrecedence: entity.sourcePrecedence,
    version: entity.version,
  };
}

/**
 * The class hierarchy, read once and kept until a class changes (checked with one cheap
 * query per use, so several replicas stay in step), and the use cases that change it.
 */
@Injectable()
export class ClassCatalog {
  private cached?: { fingerprint: string; hierarchy: ClassHierarchy; entities: CiClassEntity[] };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: CiClassesRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async hierarchy(): Promise<ClassHierarchy> {
    return (await this.load()).hierarchy;
  }

  private async load(): Promise<NonNullable<ClassCatalog['cached']>> {
    const fingerprint = await this.classes.fingerprint();
    if (this.cached?.fingerprint !== fingerprint) {
      const entities = await this.classes.findAll();
      this.cached = { fingerprint, entities, hierarchy: new ClassHierarchy(entities) };
    }
    return this.cached;
  }

  async list(): Promise<CiClassView[]> {
    const { entities, hierarchy } = await this.load();
    return entities.map((entity) => this.view(entity, hierarchy));
  }

  async get(name: string): Promise<CiClassView> {
    const { entities, hierarchy } = await this.load();
    const entity = entities.find((candidate) => candidate.name === name);
    if (!entity) throw new NotFoundProblem('CI class', name);
    return this.view(entity, hierarchy);
  }

  async create(definition: CiClassDefinition, actor: string): Promise<CiClassView> {
    const entity = await this.dataSource.transaction(async (manager) => {
      await this.classes.lockForChange(manager);
      const hierarchy = new ClassHierarchy(await this.classes.findAll(manager));
      const problems = hierarchy.checkNewClass(definition);
      if (problems.length > 0) throw new ValidationProblem(problems);
      const created = await this.classes.insert(manager, definition, new Date());
      await this.outbox.append<CiClassEventV1>(manager, {
        topic: Topics.cmdbEvents,
        type: EventTypes.cmdb.ciClassCreated,
        subject: created.name,
        data: { ciClass: toSnapshot(created), changedFields: Object.keys(definition), actor },
      });
      return created;
    });
    return this.get(entity.name);
  }

  /** Adds optional attributes (existing CIs stay valid); a name the class or a related one has is refused. */
  async addAttributes(
    name: string,
    attributes: Record<string, AttributeSchema>,
    actor: string,
  ): Promise<CiClassView> {
    await this.dataSource.transaction(async (manager) => {
      const { current, hierarchy } = await this.lockedForChange(manager, name);
      const problems = hierarchy.checkAddedAttributes(name, attributes);
      if (problems.length > 0) throw new ValidationProblem(problems);
      const updated = await this.classes.addAttributes(manager, current, attributes, new Date());
      await this.publishUpdated(
        manager,
        updated,
        Object.keys(attributes).map((attribute) => `attributes.${attribute}`),
        actor,
      );
    });
    return this.get(name);
  }

  /**
   * Changes a class's description, identification rules or per-field source precedence
   * (built-in classes too), at the version the caller read. CIs are not touched: the new
   * rules apply from the next import on.
   */
  async change(
    name: string,
    changes: CiClassChanges,
    expectedVersion: number,
    actor: string,
  ): Promise<CiClassView> {
    await this.dataSource.transaction(async (manager) => {
      const { current, hierarchy } = await this.lockedForChange(manager, name);
      if (current.version !== expectedVersion) throw new PreconditionFailedProblem(current.version);
      const problems = hierarchy.checkClassChanges(name, changes);
      if (problems.length > 0) throw new ValidationProblem(problems);
      const changedFields = changedFieldsOf(current, changes);
      if (changedFields.length === 0) return;
      const updated = await this.classes.change(manager, current, changes, new Date());
      await this.publishUpdated(manager, updated, changedFields, actor);
    });
    return this.get(name);
  }

  /** The class to change, under the catalogue's lock, with the hierarchy it sits in. */
  private async lockedForChange(
    manager: EntityManager,
    name: string,
  ): Promise<{ current: CiClassEntity; hierarchy: ClassHierarchy }> {
    await this.classes.lockForChange(manager);
    const current = await this.classes.findForUpdate(manager, name);
    if (!current) throw new NotFoundProblem('CI class', name);
    return { current, hierarchy: new ClassHierarchy(await this.classes.findAll(manager)) };
  }

  private async publishUpdated(
    manager: EntityManager,
    updated: CiClassEntity,
    changedFields: string[],
    actor: string,
  ): Promise<void> {
    await this.outbox.append<CiClassEventV1>(manager, {
      topic: Topics.cmdbEvents,
      type: EventTypes.cmdb.ciClassUpdated,
      subject: updated.name,
      data: { ciClass: toSnapshot(updated), changedFields, actor },
    });
  }

  private view(entity: CiClassEntity, hierarchy: ClassHierarchy): CiClassView {
    return {
      ...toSnapshot(entity),
      builtIn: entity.builtIn,
      attributeSchema: { ...hierarchy.composedSchema(entity.name) },
      effectiveIdentificationRules: [...hierarchy.identificationRules(entity.name)],
      effectiveSourcePrecedence: { ...hierarchy.sourcePrecedence(entity.name) },
      createdAt: entity.createdAt.toISOString(),
      updatedAt: entity.updatedAt.toISOString(),
    };
  }
}

/** The fields a change would alter: an equal value (object keys in any order) is no change. */
function changedFieldsOf(current: CiClassEntity, changes: CiClassChanges): string[] {
  const comparable = (value: unknown): string =>
    JSON.stringify(
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).sort(([a], [b]) => a.localeCompare(b))
        : value,
    );
  return (['description', 'identificationRules', 'sourcePrecedence'] as const).filter(
    (field) =>
      changes[field] !== undefined && comparable(changes[field]) !== comparable(current[field]),
  );
}
