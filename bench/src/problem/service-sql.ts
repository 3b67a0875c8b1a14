import { join } from 'node:path';
import { serviceDataSourceOptions } from '@itsm/persistence';
import { DataSource, type EntityManager, type Logger } from 'typeorm';

export interface PlanSummary {
  /** The plan's nodes from the top, down the first child, e.g. "Limit < Sort < Bitmap Heap Scan (known_errors)". */
  chain: string;
  indexes: string[];
  rows: number;
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
  text: string;
}

/** Keeps the SELECTs TypeORM ran on this data source since the last reset. */
class CapturingLogger implements Logger {
  selects: { text: string; values: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    if (/^\s*SELECT/i.test(query)) this.selects.push({ text: query, values: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

interface KnownErrorSearchLike {
  text?: string;
  ciId?: string;
  ciClass?: string;
  errorCode?: string;
  category?: string;
  includeExpired: boolean;
}

interface CompiledKnownErrors {
  search(
    search: KnownErrorSearchLike,
    after: undefined,
    limit: number,
    now: Date,
  ): Promise<unknown[]>;
}

interface CompiledProblems {
  refreshSearchDocument(manager: EntityManager, problemId: string): Promise<void>;
}

/** A cluster the candidate rules watch (the service's CandidateMatch). */
export type CandidateMatch =
  | { rule: 'same_ci'; ciId: string }
  | { rule: 'same_service_category'; businessServiceId: string; category: string };

/** The queries the candidate rules run for each run of incident events (the service's CandidatesRepository). */
export interface CompiledCandidates {
  coveredIncidentIds(manager: EntityManager, incidentIds: readonly string[]): Promise<unknown>;
  coveringProblems(manager: EntityManager, matches: readonly CandidateMatch[]): Promise<unknown>;
  uncoveredInWindows(
    manager: EntityManager,
    windows: readonly { match: CandidateMatch; from: Date; to: Date }[],
  ): Promise<unknown>;
}

type Constructor<T> = new (dataSource: DataSource) => T;

/**
 * The problem service's own repositories, compiled, from `dist/`, on a data source that
 * records the SQL they run: the known-error search the benchmark explains is byte for byte
 * what the service runs, and the search documents the generator wrote are checked against
 * the service's own refresh. The known-error repository is optional (a build without it
 * measures no SQL).
 */
export class ProblemServiceSql {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly logger: CapturingLogger,
    private readonly problems: CompiledProblems,
    private readonly knownErrors: CompiledKnownErrors | undefined,
    private readonly candidates: CompiledCandidates,
    /** The rule's key for a cluster (the advisory lock's and `candidate_key`'s). */
    readonly candidateKey: (match: CandidateMatch) => string,
    /** The language the service stems search documents with. */
    readonly searchLanguage: string,
  ) {}

  get hasKnownErrors(): boolean {
    return this.knownErrors !== undefined;
  }

  static async open(repoRoot: string, databaseUrl: string): Promise<ProblemServiceSql> {
    const source = join(repoRoot, 'dist/services/problem/src');
    const { problemService } = (await import(join(source, 'service.definition.js'))) as {
      problemService: { schema: string; entities: (typeof Function)[] };
    };
    const { ProblemsRepository, SEARCH_LANGUAGE } = (await import(
      join(source, 'problems/persistence/problems.repository.js')
    )) as { ProblemsRepository: Constructor<CompiledProblems>; SEARCH_LANGUAGE: string };
    const { CandidatesRepository } = (await import(
      join(source, 'candidates/persistence/candidates.repository.js')
    )) as { CandidatesRepository: new () => CompiledCandidates };
    const { candidateKey } = (await import(
      join(source, 'candidates/domain/candidate-rules.js')
    )) as {
      candidateKey: (match: CandidateMatch) => string;
    };
    let knownErrors: { KnownErrorsRepository?: Constructor<CompiledKnownErrors> } = {};
    try {
      knownErrors = (await import(
        join(source, 'known-errors/persistence/known-errors.repository.js')
      )) as typeof knownErrors;
    } catch {
      // this build has no known-error search
    }
    const logger = new CapturingLogger();
    const dataSource = new DataSource({
      ...serviceDataSourceOptions({
        databaseUrl,
        schema: problemService.schema,
        applicationName: 'itsm-bench-problem-sql',
        entities: problemService.entities,
        migrations: [],
        poolSize: 1,
      }),
      logger,
    });
    await dataSource.initialize();
    return new ProblemServiceSql(
      dataSource,
      logger,
      new ProblemsRepository(dataSource),
      knownErrors.KnownErrorsRepository
        ? new knownErrors.KnownErrorsRepository(dataSource)
        : undefined,
      new CandidatesRepository(),
      candidateKey,
      SEARCH_LANGUAGE,
    );
  }

  /** The SQL of the first page for these query parameters (the service's default page of 50). */
  async searchSql(
    params: Record<string, string>,
    limit = 50,
  ): Promise<{ text: string; values: unknown[] }> {
    if (!this.knownErrors) throw new Error('this build has no known-error repository');
    this.logger.selects = [];
    await this.knownErrors.search(
      {
        text: params.q?.trim() || undefined,
        ciId: params.ciId,
        ciClass: params.ciClass,
        errorCode: params.errorCode,
        category: params.category,
        includeExpired: false,
      },
      undefined,
      limit,
      new Date(),
    );
    const last = this.logger.selects.at(-1);
    if (!last) throw new Error('the repository ran no SELECT');
    return last;
  }

  /**
   * Runs one of the candidate rules' queries as the service does (its repository, on this
   * data source, outside a transaction) and answers how long it took and its first SQL
   * statement (the one that probes every cluster; a second reads the rows it found).
   */
  async timedRuleQuery(
    query: (candidates: CompiledCandidates, manager: EntityManager) => Promise<unknown>,
  ): Promise<{ ms: number; sql: { text: string; values: unknown[] } }> {
    this.logger.selects = [];
    const started = performance.now();
    await query(this.candidates, this.dataSource.manager);
    const ms = performance.now() - started;
    const first = this.logger.selects[0];
    if (!first) throw new Error('the rule ran no SELECT');
    return { ms, sql: first };
  }

  /**
   * Rebuilds the search document of some records with the service's own method and says
   * how many came out different from what the generator wrote (0 when both agree). The
   * known-error refresh is the repository's private method, called here for the check only;
   * null when there is none.
   */
  async searchDocumentMismatches(
    table: 'problems' | 'known_errors',
    ids: readonly string[],
  ): Promise<number | null> {
    const refresh =
      table === 'problems'
        ? (manager: EntityManager, id: string) => this.problems.refreshSearchDocument(manager, id)
        : (
            this.knownErrors as
              | { refreshSearchDocument?: (manager: EntityManager, id: string) => Promise<void> }
              | undefined
          )?.refreshSearchDocument?.bind(this.knownErrors);
    if (!refresh) return null;
    const documents = () =>
      this.dataSource.query<{ id: string; document: string }[]>(
        `SELECT id, search_document::text AS document FROM "problem"."${table}" WHERE id = ANY($1) ORDER BY id`,
        [ids],
      );
    const before = await documents();
    for (const id of ids) await refresh(this.dataSource.manager, id);
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
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)];
}

function describe(node: PlanNode): string {
  const on = node['Index Name'] ?? node['Relation Name'];
  return on ? `${node['Node Type']} (${on})` : node['Node Type'];
}

/** EXPLAIN (ANALYZE, BUFFERS) of the query, as JSON for the summary and as text for the reader. */
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
  const chain: string[] = [];
  for (
    let node: PlanNode | undefined = result.Plan;
    node && chain.length < 5;
    node = node.Plans?.[0]
  )
    chain.push(describe(node));
  return {
    chain: chain.join(' < '),
    indexes: [
      ...new Set(
        nodes(result.Plan)
          .map((node) => node['Index Name'])
          .filter((name): name is string => !!name),
      ),
    ],
    rows: result.Plan['Actual Rows'] ?? 0,
    executionMs: Math.round(result['Execution Time'] * 100) / 100,
    planningMs: Math.round(result['Planning Time'] * 100) / 100,
    sharedHit: result.Plan['Shared Hit Blocks'] ?? 0,
    sharedRead: result.Plan['Shared Read Blocks'] ?? 0,
    text: textRows.map((row) => row['QUERY PLAN']).join('\n'),
  };
}
