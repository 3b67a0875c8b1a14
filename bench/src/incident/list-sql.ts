import { join } from 'node:path';
import { type RecordScope } from '@itsm/auth';
import { createServiceDataSource } from '@itsm/persistence';
import { type DataSource, type EntityManager } from 'typeorm';

/**
 * The incident service's own list query, built by its compiled `RecordsRepository` from
 * `dist/`, so the SQL the benchmark times and explains is byte for byte what the service
 * runs. The service is loaded at run time from the build output (the benchmark depends
 * on libraries only); these types describe the part of it used here.
 */

export interface ListFilter {
  type: 'incident';
  states?: string[];
  priorities?: string[];
  assignmentGroups?: string[];
  assignee?: string;
  requester?: string;
  businessServiceId?: string;
  ciId?: string;
  category?: string;
  subcategory?: string;
  tags?: string[];
  source?: string;
  unassigned?: boolean;
  major?: boolean;
  minEscalationLevel?: number;
  openedFrom?: Date;
  openedTo?: Date;
  updatedFrom?: Date;
  text?: string;
  searchesWorkNotes?: boolean;
  scope: RecordScope;
}

/** The incident list's sort fields (its RECORD_SORT_FIELDS). */
export const LIST_SORT_FIELDS = ['openedAt', 'updatedAt', 'priority', 'number'] as const;
export type ListSortField = (typeof LIST_SORT_FIELDS)[number];

export interface ListRequest {
  filter: ListFilter;
  sort: { field: ListSortField; direction: 'ASC' | 'DESC' };
  after?: { values: string[]; id: string };
  limit: number;
}

interface CompiledRepository {
  listQuery(request: ListRequest): { getQueryAndParameters(): [string, unknown[]] };
  refreshSearchDocument(manager: EntityManager, recordId: string): Promise<void>;
}

interface RepositoryModule {
  RecordsRepository: new (dataSource: DataSource) => CompiledRepository;
  SEARCH_LANGUAGE: string;
}

interface DefinitionModule {
  incidentService: { schema: string; entities: (typeof Function)[] };
}

export class IncidentListSql {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly repository: CompiledRepository,
    /** The language the service stems search documents with. */
    readonly searchLanguage: string,
  ) {}

  static async open(repoRoot: string, databaseUrl: string): Promise<IncidentListSql> {
    const source = join(repoRoot, 'dist/services/incident/src');
    const { incidentService } = (await import(
      join(source, 'service.definition.js')
    )) as DefinitionModule;
    const { RecordsRepository, SEARCH_LANGUAGE } = (await import(
      join(source, 'records/persistence/records.repository.js')
    )) as RepositoryModule;
    const dataSource = createServiceDataSource({
      databaseUrl,
      schema: incidentService.schema,
      applicationName: 'itsm-bench-incident-sql',
      entities: incidentService.entities,
      migrations: [],
      poolSize: 2,
    });
    await dataSource.initialize();
    return new IncidentListSql(dataSource, new RecordsRepository(dataSource), SEARCH_LANGUAGE);
  }

  /** The SQL and parameters the service would run for this request. */
  sql(request: ListRequest): { text: string; values: unknown[] } {
    const [text, values] = this.repository.listQuery(request).getQueryAndParameters();
    return { text, values };
  }

  /**
   * Rebuilds the search document of some records with the service's own method and says
   * how many came out different from what the generator wrote (0 when both agree).
   */
  async searchDocumentMismatches(recordIds: readonly string[]): Promise<number> {
    const documents = () =>
      this.dataSource.query<{ id: string; document: string }[]>(
        `SELECT id, search_document::text AS document FROM "incident"."records" WHERE id = ANY($1) ORDER BY id`,
        [recordIds],
      );
    const before = await documents();
    for (const id of recordIds)
      await this.repository.refreshSearchDocument(this.dataSource.manager, id);
    const after = await documents();
    return before.filter((row, index) => row.document !== after[index]?.document).length;
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export interface PlanSummary {
  /** No sequential scan of incident.records anywhere in the plan. */
  indexUsed: boolean;
  indexes: string[];
  /** The node under the LIMIT, the one that decides the cost, e.g. "Index Scan Backward (IX_records_type_opened)". */
  topNode: string;
  rowsReturned: number;
  /** Rows the scans of records produced or threw away: the work behind the page. */
  rowsRead: number;
  executionMs: number;
  planningMs: number;
  text: string;
}

function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)];
}

function describe(node: PlanNode): string {
  return node['Index Name'] ? `${node['Node Type']} (${node['Index Name']})` : node['Node Type'];
}

/** EXPLAIN (ANALYZE, BUFFERS) of the query, read as JSON for the checks and as text for the reader. */
export async function explain(
  query: (text: string, values: unknown[]) => Promise<unknown[]>,
  sql: { text: string; values: unknown[] },
): Promise<PlanSummary> {
  const [json] = (await query(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.text}`,
    sql.values,
  )) as {
    'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }];
  }[];
  const textRows = (await query(`EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`, sql.values)) as {
    'QUERY PLAN': string;
  }[];
  const result = json?.['QUERY PLAN'][0];
  if (!result) throw new Error('EXPLAIN returned no plan');
  const all = nodes(result.Plan);
  const onRecords = all.filter(
    (node) => node['Relation Name'] === 'records' || node['Index Name']?.startsWith('IX_records'),
  );
  const indexes = [
    ...new Set(all.map((node) => node['Index Name']).filter((name): name is string => !!name)),
  ];
  let top = result.Plan;
  while (top['Node Type'] === 'Limit' && top.Plans?.[0]) top = top.Plans[0];
  const chain = [describe(top)];
  // A sort or a bitmap heap scan says little alone: name what feeds it.
  for (let below = top.Plans?.[0]; below && chain.length < 3; below = below.Plans?.[0]) {
    chain.push(describe(below));
  }
  return {
    indexUsed: !all.some(
      (node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'records',
    ),
    indexes,
    topNode: chain.some((part) => part.includes('IX_'))
      ? chain.join(' < ')
      : `${chain.join(' < ')} [${indexes.join(', ')}]`,
    rowsReturned: result.Plan['Actual Rows'] ?? 0,
    rowsRead: onRecords
      .filter((node) => /Scan/.test(node['Node Type']) && node['Node Type'] !== 'Bitmap Index Scan')
      .reduce(
        (sum, node) =>
          sum +
          // EXPLAIN gives these per loop.
          ((node['Actual Rows'] ?? 0) +
            (node['Rows Removed by Filter'] ?? 0) +
            (node['Rows Removed by Index Recheck'] ?? 0)) *
            (node['Actual Loops'] ?? 1),
        0,
      ),
    executionMs: Math.round(result['Execution Time'] * 100) / 100,
    planningMs: Math.round(result['Planning Time'] * 100) / 100,
    text: textRows.map((row) => row['QUERY PLAN']).join('\n'),
  };
}
