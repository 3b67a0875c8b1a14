import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hasPermission, type Caller } from '@itsm/auth';
import { type ChangeTemplateVersionSnapshot } from '@itsm/contracts';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  answeringDomainErrors,
  decodeCursor,
  pageOf,
  type Page,
} from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import {
  editDraft,
  moveTemplate,
  proposeTemplate,
  startVersion,
  type NewTemplate,
  type TemplateAggregate,
  type TemplateContentChanges,
  type TemplateStep,
  type TemplateTransitionRequest,
} from '../domain/change-template';
import {
  ChangeTemplatesRepository,
  type ChangeTemplateFilter,
} from '../persistence/change-templates.repository';
import { ChangeTemplateWriter } from './change-template-writer';
import { toTemplateView, toVersionSnapshot, type ChangeTemplateView } from './change-template-view';

/**
 * Standard change templates: proposed, approved by someone other than their authors,
 * published (superseding the version published before), versioned, retired. Every caller
 * with `change:read` reads every template.
 */
@Injectable()
export class ChangeTemplatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: ChangeTemplatesRepository,
    private readonly writer: ChangeTemplateWriter,
  ) {}

  async create(draft: NewTemplate, caller: Caller): Promise<ChangeTemplateView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const aggregate = proposeTemplate(draft, randomUUID(), caller.username, new Date());
        await this.writer.create(manager, aggregate);
        return toTemplateView(aggregate);
      }),
    );
  }

  async get(id: string): Promise<ChangeTemplateView> {
    return toTemplateView(await this.found(id));
  }

  async version(id: string, version: number): Promise<ChangeTemplateVersionSnapshot> {
    const found = await this.templates.findVersion(id, version);
    if (!found) throw new NotFoundProblem('Change template version', `${id} v${version}`);
    return toVersionSnapshot(found);
  }

  async versions(
    id: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<ChangeTemplateVersionSnapshot>> {
    await this.found(id);
    const after = page.cursor ? decodeCursor(page.cursor, { version: 'integer' }) : undefined;
    const rows = await this.templates.listVersions(
      id,
      after ? Number(after.version) : undefined,
      page.limit,
    );
    return pageOf(rows, page.limit, toVersionSnapshot, (row) => ({
      version: String(row.version),
    }));
  }

  async list(request: {
    filter: ChangeTemplateFilter;
    cursor?: string;
    limit: number;
  }): Promise<Page<ChangeTemplateView>> {
    const after = request.cursor
      ? decodeCursor(request.cursor, { name: 'text', id: 'uuid' })
      : undefined;
    const rows = await this.templates.list({ filter: request.filter, after, limit: request.limit });
    const versions = await this.templates.findCurrentVersions(rows.map((row) => row.id));
    return pageOf(
      rows,
      request.limit,
      (template) =>
        toTemplateView({
          template,
          versions: versions.filter((version) => version.templateId === template.id),
        }),
      (row) => ({ name: row.name, id: row.id }),
    );
  }

  async change(
    id: string,
    changes: TemplateContentChanges,
    expectedRevision: number,
    caller: Caller,
  ): Promise<ChangeTemplateView> {
    return this.modify(id, expectedRevision, (aggregate, now) =>
      editDraft(aggregate, changes, caller.username, now),
    );
  }

  async transition(
    id: string,
    request: TemplateTransitionRequest,
    expectedRevision: number | undefined,
    caller: Caller,
  ): Promise<ChangeTemplateView> {
    const actor = {
      username: caller.username,
      mayApprove: hasPermission(caller.roles, 'change:approve'),
      mayWrite: hasPermission(caller.roles, 'change:write'),
    };
    return this.modify(id, expectedRevision, (aggregate, now) =>
      moveTemplate(aggregate, request, actor, now),
    );
  }

  async startVersion(
    id: string,
    expectedRevision: number | undefined,
    caller: Caller,
  ): Promise<ChangeTemplateView> {
    return this.modify(id, expectedRevision, (aggregate, now) =>
      startVersion(aggregate, caller.username, now),
    );
  }

  /** Runs a step on one template under its row lock, checking the expected revision. */
  private async modify(
    id: string,
    expectedRevision: number | undefined,
    step: (aggregate: TemplateAggregate, now: Date) => TemplateStep,
  ): Promise<ChangeTemplateView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.lockFound(manager, id);
        if (expectedRevision !== undefined && current.template.revision !== expectedRevision) {
          throw new PreconditionFailedProblem(current.template.revision);
        }
        const now = new Date();
        return toTemplateView(await this.writer.commit(manager, current, step(current, now), now));
      }),
    );
  }

  private async lockFound(manager: EntityManager, id: string): Promise<TemplateAggregate> {
    const aggregate = await this.templates.findForUpdate(manager, id);
    if (!aggregate) throw new NotFoundProblem('Change template', id);
    return aggregate;
  }

  private async found(id: string): Promise<TemplateAggregate> {
    const aggregate = await this.templates.findAggregate(id);
    if (!aggregate) throw new NotFoundProblem('Change template', id);
    return aggregate;
  }
}
