import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  NotFoundProblem,
  PeriodicRounds,
  ProblemException,
  ValidationProblem,
  type FieldError,
} from '@itsm/platform';
import { ClassCatalog } from '../../ci-classes/application/class-catalog.service';
import { type ClassHierarchy } from '../../ci-classes/domain/ci-class';
import { type ChangeOrigin } from '../../cis/application/ci-writer';
import { CMDB_CONFIG, type CmdbConfig } from '../../config/cmdb.config';
import { emptyReport, type ImportReport, type ImportRequest } from '../domain/import-request';
import { type ImportJobEntity } from '../persistence/import-job.entity';
import {
  ImportJobsRepository,
  ImportLeaseLost,
  type ClaimedJob,
} from '../persistence/import-jobs.repository';
import { ImportProcessor, type ImportProgress } from './import-processor';

export interface ImportJobView {
  id: string;
  source: string;
  state: ImportJobEntity['state'];
  totalItems: number;
  processedItems: number;
  totalRelationships: number;
  processedRelationships: number;
  report: ImportReport | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export type ImportOutcome =
  { kind: 'report'; report: ImportReport } | { kind: 'job'; job: ImportJobView };

/**
 * Discovery imports: small ones in one transaction (all or nothing), large ones (or on
 * request) as a background job applied in batches, each batch a transaction.
 */
@Injectable()
export class ImportsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportsService.name);
  private readonly rounds: PeriodicRounds;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: ClassCatalog,
    private readonly processor: ImportProcessor,
    private readonly jobs: ImportJobsRepository,
    @Inject(CMDB_CONFIG) private readonly config: CmdbConfig,
  ) {
    this.rounds = new PeriodicRounds({
      intervalMs: config.CMDB_IMPORT_POLL_INTERVAL_MS,
      round: () => this.runWaitingJobs(),
      onError: (error) =>
        this.logger.error({ err: error }, 'import jobs could not be claimed or run'),
    });
  }

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.rounds.stop();
  }

  async submit(request: ImportRequest, actor: string, runAsJob: boolean): Promise<ImportOutcome> {
    const entries = request.items.length + request.relationships.length;
    if (entries > this.config.CMDB_IMPORT_MAX_ENTRIES)
      throw new ProblemException(
        413,
        'import-too-large',
        'The import is too large',
        `One import carries at most ${this.config.CMDB_IMPORT_MAX_ENTRIES} items and relationships; send several.`,
      );
    const hierarchy = await this.catalog.hierarchy();
    assertValidRequest(request, hierarchy);
    if (!runAsJob && entries <= this.config.CMDB_IMPORT_SYNC_LIMIT) {
      const progress: ImportProgress = {
        report: emptyReport(request.source),
        ciIdByKey: new Map(),
      };
      const origin = { actor, source: request.source };
      await this.dataSource.transaction(async (manager) => {
        await this.processor.applyItems(
          manager,
          request,
          0,
          request.items.length,
          hierarchy,
          progress,
          origin,
        );
        await this.processor.applyRelationships(
          manager,
          request,
          0,
          request.relationships.length,
          hierarchy,
          progress,
          origin,
        );
      });
      return { kind: 'report', report: progress.report };
    }
    const job = {
      id: randomUUID(),
      source: request.source,
      state: 'queued' as const,
      requestedBy: actor,
      request,
      totalItems: request.items.length,
      processedItems: 0,
      totalRelationships: request.relationships.length,
      processedRelationships: 0,
      report: null,
      error: null,
      createdAt: new Date(),
      lease: null,
      heartbeatAt: null,
      finishedAt: null,
    };
    await this.jobs.insert(job);
    this.rounds.trigger();
    return { kind: 'job', job: toJobView(job) };
  }

  async job(id: string): Promise<ImportJobView> {
    const job = await this.jobs.findById(id);
    if (!job) throw new NotFoundProblem('Import', id);
    return toJobView(job);
  }

  /** Runs the jobs waiting, one after another, until there are none (or the service stops). */
  private async runWaitingJobs(): Promise<void> {
    const leaseMs = this.config.CMDB_IMPORT_LEASE_MS;
    for (
      let claimed = await this.jobs.claimNext(leaseMs);
      claimed && !this.stopping;
      claimed = await this.jobs.claimNext(leaseMs)
    )
      await this.runJob(claimed);
  }

  /**
   * Runs a claimed job batch by batch, renewing its lease every third of
   * CMDB_IMPORT_LEASE_MS meanwhile (a batch may take longer than the lease), each batch
   * committed only while the lease is still this worker's. A job taken over stops here and
   * is finished by the worker that took it.
   */
  private async runJob(job: ClaimedJob): Promise<void> {
    const { request } = job;
    const origin: ChangeOrigin = { actor: job.requestedBy, source: request.source };
    const batch = this.config.CMDB_IMPORT_BATCH_SIZE;
    const progress: ImportProgress = { report: emptyReport(request.source), ciIdByKey: new Map() };
    let held = true;
    const renewal = setInterval(
      () => {
        this.jobs.renew(job).then(
          (renewed) => (held &&= renewed),
          (error: unknown) =>
            this.logger.warn(`import ${job.id}: lease not renewed: ${String(error)}`),
        );
      },
      Math.floor(this.config.CMDB_IMPORT_LEASE_MS / 3),
    );
    const inLease = (
      processedItems: number,
      processedRelationships: number,
      work: Parameters<ImportJobsRepository['inLease']>[2],
    ) => {
      if (!held) throw new ImportLeaseLost(job.id);
      return this.jobs.inLease(job, { processedItems, processedRelationships }, work);
    };
    try {
      const hierarchy = await this.catalog.hierarchy();
      for (let from = 0; from < request.items.length; from += batch) {
        const to = Math.min(from + batch, request.items.length);
        await inLease(to, 0, (manager) =>
          this.processor.applyItems(manager, request, from, to, hierarchy, progress, origin),
        );
      }
      for (let from = 0; from < request.relationships.length; from += batch) {
        const to = Math.min(from + batch, request.relationships.length);
        await inLease(request.items.length, to, (manager) =>
          this.processor.applyRelationships(
            manager,
            request,
            from,
            to,
            hierarchy,
            progress,
            origin,
          ),
        );
      }
      if (!(await this.jobs.complete(job, progress.report))) throw new ImportLeaseLost(job.id);
    } catch (error) {
      if (error instanceof ImportLeaseLost) {
        this.logger.warn(error.message);
        return;
      }
      this.logger.error(`import ${job.id} failed: ${String(error)}`);
      await this.jobs.fail(job, error instanceof Error ? error.message : String(error));
    } finally {
      clearInterval(renewal);
    }
  }
}

function toJobView(job: ImportJobEntity): ImportJobView {
  return {
    id: job.id,
    source: job.source,
    state: job.state,
    totalItems: job.totalItems,
    processedItems: job.processedItems,
    totalRelationships: job.totalRelationships,
    processedRelationships: job.processedRelationships,
    report: job.report,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Checks everything that can be checked before anything is written, so that bad input
 * changes nothing: classes, attribute types (required ones are checked once an item is
 * known to be new), and relationship keys.
 */
function assertValidRequest(request: ImportRequest, hierarchy: ClassHierarchy): void {
  const problems: FieldError[] = [];
  const keys = new Set<string>();
  request.items.forEach((item, index) => {
    const definition = hierarchy.find(item.class);
    if (!definition)
      problems.push({ field: `items[${index}].class`, message: `there is no class ${item.class}` });
    else if (definition.abstract)
      problems.push({
        field: `items[${index}].class`,
        message: `${item.class} is abstract: choose one of its subclasses`,
      });
    else
      for (const problem of hierarchy.validateAttributes(item.class, item.attributes ?? {}, true))
        problems.push({ field: `items[${index}].${problem.field}`, message: problem.message });
    if (item.key !== undefined) {
      if (keys.has(item.key))
        problems.push({ field: `items[${index}].key`, message: 'is the key of an earlier item' });
      keys.add(item.key);
    }
  });
  request.relationships.forEach((relationship, index) => {
    for (const end of ['source', 'target'] as const) {
      const reference = relationship[end];
      const given = [reference.key, reference.ciId, reference.identifiers].filter(
        (part) => part !== undefined,
      );
      if (given.length !== 1)
        problems.push({
          field: `relationships[${index}].${end}`,
          message: 'must give exactly one of key, ciId, identifiers',
        });
      else if (reference.key !== undefined && !keys.has(reference.key))
        problems.push({
          field: `relationships[${index}].${end}.key`,
          message: 'is the key of no item of this import',
        });
    }
  });
  if (problems.length > 0) throw new ValidationProblem(problems);
}
