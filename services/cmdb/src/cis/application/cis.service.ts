import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type CiSnapshot } from '@itsm/contracts';
import { type Caller } from '@itsm/auth';
import {
  PreconditionFailedProblem,
  ProblemException,
  ValidationProblem,
  decodeCursor,
  encodeCursor,
  pageOf,
  type Page,
} from '@itsm/platform';
import { ClassCatalog } from '../../ci-classes/application/class-catalog.service';
import { type ClassHierarchy } from '../../ci-classes/domain/ci-class';
import { CMDB_CONFIG, type CmdbConfig } from '../../config/cmdb.config';
import {
  MANUAL_SOURCE,
  identifierEntries,
  SourcePrecedence,
  newCi,
  reconcile,
  restrictionProblems,
  type Ci,
  type CiStatus,
  type CiValues,
} from '../domain/ci';
import { IdentifierIndex, identify } from '../domain/identification';
import { type HistoryRow, CiHistoryRepository } from '../persistence/ci-history.repository';
import { CisRepository, type CiListFilter } from '../persistence/cis.repository';
import { CiWriter } from './ci-writer';
import { toCiSnapshot } from './ci-view';
import { assertVisibleCi } from '../../shared/ci-visibility';

export interface CiListCriteria {
  ids?: string[];
  class?: string;
  status?: CiStatus;
  environment?: string;
  ownerGroup?: string;
  restricted?: boolean;
  search?: string;
  identifier?: string;
  staleDays?: number;
  limit: number;
  cursor?: string;
}

export interface HistoryEntryView {
  at: string;
  kind: HistoryRow['kind'];
  actor: string;
  source: string | null;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  changeNumber: string | null;
  version: number | null;
  relationship: HistoryRow['relationship'];
}

const DAY_MS = 86_400_000;

/** Reading and changing CIs one at a time, through the API. */
@Injectable()
export class CisService {
  private readonly precedence: SourcePrecedence;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: ClassCatalog,
    private readonly cis: CisRepository,
    private readonly history: CiHistoryRepository,
    private readonly writer: CiWriter,
    @Inject(CMDB_CONFIG) config: CmdbConfig,
  ) {
    this.precedence = new SourcePrecedence(config.CMDB_SOURCE_PRECEDENCE);
  }

  async create(
    className: string,
    values: CiValues & { name: string },
    actor: string,
  ): Promise<CiSnapshot> {
    const hierarchy = await this.catalog.hierarchy();
    assertInstantiable(hierarchy, className, 'class');
    const ci = newCi(randomUUID(), className, values, MANUAL_SOURCE, new Date(), 'planned');
    assertValidAttributes(hierarchy, ci.class, ci.attributes);
    assertRestrictionOwned(ci);
    return this.dataSource.transaction(async (manager) => {
      await this.assertIdentifiersFree(manager, ci, hierarchy);
      await this.writer.created(manager, [ci], { actor, source: null });
      return toCiSnapshot(ci);
    });
  }

  /**
   * A CI whose strong identifiers (per its class's rules) another CI has already is a
   * duplicate: refused with 409, as an import would match it to that other CI. Takes the
   * identification lock, so the check holds until the caller's transaction ends.
   */
  private async assertIdentifiersFree(
    manager: EntityManager,
    ci: Ci,
    hierarchy: ClassHierarchy,
  ): Promise<void> {
    await this.cis.lockIdentification(manager);
    const index = new IdentifierIndex();
    const values = identifierEntries(ci.name, ci.identifiers).map((entry) => entry.value);
    for (const match of await this.cis.findByIdentifierValues(manager, values))
      if (match.kind !== 'name' && match.kind !== 'ipAddresses' && match.ciId !== ci.id)
        index.addEntry(match.kind, match.value, {
          id: match.ciId,
          class: match.class,
          fqdn: match.fqdn ?? undefined,
        });
    const found = identify(ci, hierarchy.identificationRules(ci.class), index, hierarchy);
    if (found.outcome !== 'new')
      throw new ProblemException(
        409,
        'ci-exists',
        'The CI exists already',
        `identifiers.${found.rule} is the identifier of another CI`,
        {
          errors: [{ field: `identifiers.${found.rule}`, message: 'belongs to another CI' }],
          ciIds: found.outcome === 'match' ? [found.ciId] : found.ciIds,
        },
      );
  }

  async get(id: string, caller: Caller): Promise<CiSnapshot> {
    return toCiSnapshot(assertVisibleCi(caller, id, await this.cis.findById(id)));
  }

  /**
   * The CI as it was at a past time, from its history. Whether the caller may see it is
   * decided by the CI as it is now: restricting a CI hides its past too.
   */
  async getAsOf(id: string, at: Date, caller: Caller): Promise<CiSnapshot> {
    assertVisibleCi(caller, id, await this.cis.findById(id));
    const snapshot = await this.history.snapshotAt(id, at);
    if (!snapshot)
      throw new ProblemException(
        404,
        'not-found',
        'CI not found',
        `There was no CI with id ${id} at ${at.toISOString()}.`,
      );
    return snapshot;
  }

  async change(
    id: string,
    values: CiValues,
    expectedVersion: number,
    caller: Caller,
  ): Promise<CiSnapshot> {
    const hierarchy = await this.catalog.hierarchy();
    return this.dataSource.transaction(async (manager) => {
      // Identification lock before the row lock, in the order imports take them (no deadlock).
      if (values.identifiers !== undefined) await this.cis.lockIdentification(manager);
      const current = assertVisibleCi(caller, id, await this.cis.findForUpdate(manager, id));
      if (current.version !== expectedVersion) throw new PreconditionFailedProblem(current.version);
      const change = reconcile(current, values, MANUAL_SOURCE, this.precedence, new Date(), false);
      if (change.changedFields.length === 0) return toCiSnapshot(current);
      assertValidAttributes(hierarchy, change.ci.class, change.ci.attributes);
      assertRestrictionOwned(change.ci);
      if (change.changedFields.some((field) => field.startsWith('identifiers.')))
        await this.assertIdentifiersFree(manager, change.ci, hierarchy);
      await this.writer.updated(manager, [change], { actor: caller.username, source: null });
      return toCiSnapshot(change.ci);
    });
  }

  async list(query: CiListCriteria, caller: Caller): Promise<Page<CiSnapshot>> {
    const filter: CiListFilter = { limit: query.limit, visibleTo: caller };
    if (query.class) {
      const hierarchy = await this.catalog.hierarchy();
      if (!hierarchy.find(query.class))
        throw new ValidationProblem([
          { field: 'class', message: `there is no class ${query.class}` },
        ]);
      filter.classes = hierarchy.subclassesOf(query.class);
    }
    Object.assign(filter, {
      ids: query.ids?.map((id) => id.toLowerCase()),
      status: query.status,
      environment: query.environment,
      ownerGroup: query.ownerGroup,
      restricted: query.restricted,
      namePrefix: query.search,
      identifier: query.identifier,
      notDiscoveredSince:
        query.staleDays === undefined ? undefined : new Date(Date.now() - query.staleDays * DAY_MS),
      afterId: query.cursor ? decodeCursor(query.cursor, { id: 'uuid' }).id : undefined,
    });
    const rows = await this.cis.list(filter);
    return pageOf(rows, query.limit, toCiSnapshot, (ci) => ({ id: ci.id }));
  }

  /** Every change of the CI and of its relationships, oldest first, one entry per changed field. */
  async historyOf(
    id: string,
    caller: Caller,
    limit: number,
    cursor?: string,
  ): Promise<Page<HistoryEntryView>> {
    assertVisibleCi(caller, id, await this.cis.findById(id));
    const after = cursor ? decodeCursor(cursor, { at: 'instant', key: 'text' }) : undefined;
    const rows = await this.history.page(
      id,
      caller,
      after && { at: new Date(after.at), key: after.key },
      limit,
    );
    const visible = rows.slice(0, limit);
    const last = visible.at(-1);
    return {
      items: visible.flatMap(historyEntries),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ at: last.at.toISOString(), key: last.key })
          : null,
    };
  }
}

function historyEntries(row: HistoryRow): HistoryEntryView[] {
  const base = {
    at: row.at.toISOString(),
    kind: row.kind,
    actor: row.actor,
    source: row.source,
    changeNumber: row.changeNumber,
    version: row.version,
    relationship: row.relationship,
  };
  if (row.changes.length === 0) return [{ ...base, field: null, oldValue: null, newValue: null }];
  return row.changes.map((change) => ({ ...base, ...change }));
}

export function assertInstantiable(
  hierarchy: ClassHierarchy,
  className: string,
  field: string,
): void {
  const definition = hierarchy.find(className);
  if (!definition)
    throw new ValidationProblem([{ field, message: `there is no class ${className}` }]);
  if (definition.abstract)
    throw new ValidationProblem([
      { field, message: `${className} is abstract: choose one of its subclasses` },
    ]);
}

function assertRestrictionOwned(ci: Ci): void {
  const problems = restrictionProblems(ci);
  if (problems.length > 0) throw new ValidationProblem(problems);
}

export function assertValidAttributes(
  hierarchy: ClassHierarchy,
  className: string,
  attributes: Record<string, unknown>,
  prefix = '',
): void {
  const problems = hierarchy.validateAttributes(className, attributes);
  if (problems.length > 0)
    throw new ValidationProblem(
      problems.map((problem) => ({ ...problem, field: `${prefix}${problem.field}` })),
    );
}
