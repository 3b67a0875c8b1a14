import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ClassHierarchy } from '../../ci-classes/domain/ci-class';
import { CiWriter, type ChangeOrigin } from '../../cis/application/ci-writer';
import {
  SourcePrecedence,
  discoveredValues,
  restrictionProblems,
  newCi,
  identifierEntries,
  normalizeIdentifiers,
  type Ci,
  type Reconciled,
  reconcile,
} from '../../cis/domain/ci';
import { IdentifierIndex, identify, isIdentifiable } from '../../cis/domain/identification';
import { CisRepository } from '../../cis/persistence/cis.repository';
import { CMDB_CONFIG, type CmdbConfig } from '../../config/cmdb.config';
import { RelationshipWriter } from '../../relationships/application/relationship-writer';
import { relationshipRefusal } from '../../relationships/domain/relationship-rules';
import { type Relationship } from '../../relationships/persistence/relationships.repository';
import {
  recordItem,
  type ImportConflict,
  type ImportItem,
  type ImportReference,
  type ImportReport,
  type ImportRequest,
} from '../domain/import-request';

/** Who an item is: the CI it matched or will create, or why it cannot be told. */
type Plan =
  | { item: ImportItem; id: string }
  | { item: ImportItem; refusal: Pick<ImportConflict, 'reason' | 'detail' | 'ciIds'> };

/** What one import carries from batch to batch: the CI each item key became. */
export interface ImportProgress {
  report: ImportReport;
  ciIdByKey: Map<string, string>;
}

const ROOT_CLASS = 'configuration_item';

/**
 * Applies an import's items and relationships, a slice at a time, in the caller's
 * transaction: identification, reconciliation by source precedence, and the writes.
 */
@Injectable()
export class ImportProcessor {
  private readonly precedence: SourcePrecedence;

  constructor(
    private readonly cis: CisRepository,
    private readonly ciWriter: CiWriter,
    private readonly relationshipWriter: RelationshipWriter,
    @Inject(CMDB_CONFIG) config: CmdbConfig,
  ) {
    this.precedence = new SourcePrecedence(config.CMDB_SOURCE_PRECEDENCE);
  }

  async applyItems(
    manager: EntityManager,
    request: ImportRequest,
    from: number,
    to: number,
    hierarchy: ClassHierarchy,
    progress: ImportProgress,
    origin: ChangeOrigin,
  ): Promise<void> {
    const now = new Date();
    const items = request.items.slice(from, to).map((item) => ({
      ...item,
      identifiers: normalizeIdentifiers(item.identifiers),
    }));
    await this.cis.lockIdentification(manager);
    const index = await this.indexFor(manager, items);
    // First who is who (items created earlier in this slice count), then lock what exists.
    const plans = items.map((item): Plan => {
      const rules = hierarchy.identificationRules(item.class);
      if (!isIdentifiable(item, rules)) {
        const detail = `has none of ${rules.map((rule) => (rule === 'name' ? 'name' : `identifiers.${rule}`)).join(', ')}, by which a ${item.class} is identified; imported again, it would be created again`;
        return { item, refusal: { reason: 'no_identifier', detail, ciIds: [] } };
      }
      const found = identify(item, rules, index, hierarchy);
      if (found.outcome === 'conflict') {
        const { reason, rule, ciIds } = found;
        const detail = `identifiers.${rule} points at ${ciIds.join(', ')}`;
        return { item, refusal: { reason, detail, ciIds } };
      }
      if (found.outcome === 'match') return { item, id: found.ciId };
      const id = randomUUID();
      index.add(
        { id, class: item.class, fqdn: item.identifiers.fqdn },
        item.name,
        item.identifiers,
      );
      return { item, id };
    });
    const existing = await this.cis.findManyForUpdate(
      manager,
      plans.flatMap((plan) => ('id' in plan ? [plan.id] : [])),
    );
    const state = new Map<string, { ci: Ci; isNew: boolean; change?: Reconciled }>();
    for (const ci of existing) state.set(ci.id, { ci, isNew: false });

    plans.forEach((plan, offset) => {
      const position = from + offset;
      const { item } = plan;
      if (!('id' in plan)) {
        recordItem(
          progress.report,
          { index: position, key: item.key, ciId: null, outcome: 'conflict' },
          { index: position, kind: 'item', key: item.key, ...plan.refusal },
        );
        return;
      }
      const { id } = plan;
      const outcome = this.applyItem(item, id, state, hierarchy, origin, now);
      if ('conflict' in outcome) {
        recordItem(
          progress.report,
          { index: position, key: item.key, ciId: id, outcome: 'conflict' },
          {
            index: position,
            kind: 'item',
            key: item.key,
            reason: 'invalid_attributes',
            detail: outcome.conflict,
            ciIds: state.get(id)?.isNew ? [] : [id],
          },
        );
        return;
      }
      if (item.key) progress.ciIdByKey.set(item.key, id);
      recordItem(progress.report, {
        index: position,
        key: item.key,
        ciId: id,
        outcome: outcome.outcome,
        ...(outcome.heldBack.length > 0 ? { heldBack: outcome.heldBack } : {}),
      });
    });

    const created: Ci[] = [];
    const changed: Reconciled[] = [];
    const seen: string[] = [];
    for (const { ci, isNew, change } of state.values()) {
      if (isNew) created.push({ ...ci, lastDiscoveredAt: now });
      else if (change) changed.push({ ...change, ci: { ...change.ci, lastDiscoveredAt: now } });
      else seen.push(ci.id);
    }
    await this.ciWriter.created(manager, created, origin);
    await this.ciWriter.updated(manager, changed, origin);
    await this.cis.markDiscovered(manager, seen, now);
  }

  /**
   * One item onto the state of the slice: a new CI, or the reconciliation of the CI it
   * matched (two items of one import that match the same CI apply one after the other).
   */
  private applyItem(
    item: ImportItem,
    id: string,
    state: Map<string, { ci: Ci; isNew: boolean; change?: Reconciled }>,
    hierarchy: ClassHierarchy,
    origin: ChangeOrigin,
    now: Date,
  ):
    | { outcome: 'created' | 'updated' | 'unchanged'; heldBack: Reconciled['heldBack'] }
    | { conflict: string } {
    const source = origin.source ?? '';
    const seen = discoveredValues(item);
    const current = state.get(id);
    if (!current) {
      const ci = newCi(id, item.class, seen, source, now, 'operational');
      const problems = [
        ...hierarchy.validateAttributes(ci.class, ci.attributes),
        ...restrictionProblems(ci),
      ];
      if (problems.length > 0)
        return { conflict: problems.map((p) => `${p.field} ${p.message}`).join('; ') };
      state.set(id, { ci, isNew: true });
      return { outcome: 'created', heldBack: [] };
    }
    // Discovery may refine the class (server → virtual_server), never move it sideways or up.
    const refines = item.class !== current.ci.class && hierarchy.isA(item.class, current.ci.class);
    const values = { ...seen, class: refines ? item.class : undefined };
    // The class the CI will have decides which per-field precedence applies.
    const precedence = this.precedence.withFieldOrders(
      hierarchy.sourcePrecedence(refines ? item.class : current.ci.class),
    );
    const change = reconcile(current.ci, values, source, precedence, now);
    if (change.changedFields.length === 0)
      return { outcome: 'unchanged', heldBack: change.heldBack };
    const problems = [
      ...hierarchy.validateAttributes(change.ci.class, change.ci.attributes),
      ...restrictionProblems(change.ci),
    ];
    if (problems.length > 0)
      return { conflict: problems.map((p) => `${p.field} ${p.message}`).join('; ') };
    const merged = current.change
      ? {
          ...change,
          changedFields: [...new Set([...current.change.changedFields, ...change.changedFields])],
          previous: { ...change.previous, ...current.change.previous },
          ci: { ...change.ci, version: current.change.ci.version },
        }
      : change;
    if (current.isNew) state.set(id, { ci: { ...change.ci, version: 1 }, isNew: true });
    else state.set(id, { ci: merged.ci, isNew: false, change: merged });
    return { outcome: current.isNew ? 'unchanged' : 'updated', heldBack: change.heldBack };
  }

  async applyRelationships(
    manager: EntityManager,
    request: ImportRequest,
    from: number,
    to: number,
    hierarchy: ClassHierarchy,
    progress: ImportProgress,
    origin: ChangeOrigin,
  ): Promise<void> {
    const slice = request.relationships.slice(from, to);
    const references = slice.flatMap((relationship) => [relationship.source, relationship.target]);
    const index = await this.indexFor(
      manager,
      references.flatMap((reference) =>
        reference.identifiers
          ? [
              {
                class: ROOT_CLASS,
                name: '',
                identifiers: normalizeIdentifiers(reference.identifiers),
              },
            ]
          : [],
      ),
    );
    const resolve = (reference: ImportReference): string | undefined => {
      if (reference.key !== undefined) return progress.ciIdByKey.get(reference.key);
      if (reference.ciId) return reference.ciId;
      const identifiers = normalizeIdentifiers(reference.identifiers);
      const found = identify(
        { class: ROOT_CLASS, name: '', identifiers },
        hierarchy.identificationRules(ROOT_CLASS),
        index,
        hierarchy,
      );
      return found.outcome === 'match' ? found.ciId : undefined;
    };
    const resolved = slice.map((relationship) => ({
      relationship,
      sourceId: resolve(relationship.source),
      targetId: resolve(relationship.target),
    }));
    const classes = await this.cis.classesOf(
      manager,
      resolved.flatMap(({ sourceId, targetId }) =>
        [sourceId, targetId].filter((id): id is string => !!id),
      ),
    );
    const now = new Date();
    const candidates: Relationship[] = [];
    resolved.forEach(({ relationship, sourceId, targetId }, offset) => {
      const position = from + offset;
      const sourceClass = sourceId && classes.get(sourceId);
      const targetClass = targetId && classes.get(targetId);
      const conflict = (
        reason: 'unresolved_reference' | 'relationship_not_allowed',
        detail: string,
      ) =>
        progress.report.conflicts.push({
          index: position,
          kind: 'relationship',
          reason,
          detail,
          ciIds: [sourceId, targetId].filter((id): id is string => !!id),
        });
      if (!sourceId || !targetId || !sourceClass || !targetClass) {
        conflict(
          'unresolved_reference',
          `${!sourceClass ? 'source' : 'target'} names no CI of this import or the CMDB`,
        );
        return;
      }
      const refusal =
        sourceId === targetId
          ? 'a CI cannot be related to itself'
          : relationshipRefusal(relationship.type, sourceClass, targetClass, hierarchy);
      if (refusal) {
        conflict('relationship_not_allowed', refusal);
        return;
      }
      candidates.push({
        id: randomUUID(),
        type: relationship.type,
        sourceId,
        targetId,
        createdAt: now,
        createdBy: origin.actor,
        source: origin.source,
        deletedAt: null,
        deletedBy: null,
      });
    });
    const created = await this.relationshipWriter.created(manager, candidates, origin);
    progress.report.relationships.created += created.length;
    progress.report.relationships.unchanged += candidates.length - created.length;
  }

  private async indexFor(
    manager: EntityManager,
    items: readonly { name: string; identifiers: ImportItem['identifiers'] }[],
  ): Promise<IdentifierIndex> {
    const values = items.flatMap((item) =>
      identifierEntries(item.name, normalizeIdentifiers(item.identifiers)).map(
        (entry) => entry.value,
      ),
    );
    const index = new IdentifierIndex();
    for (const match of await this.cis.findByIdentifierValues(
      manager,
      values.filter((value) => value !== ''),
    ))
      index.addEntry(match.kind, match.value, {
        id: match.ciId,
        class: match.class,
        fqdn: match.fqdn ?? undefined,
      });
    return index;
  }
}
