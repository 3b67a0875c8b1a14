import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  type ChangeTemplate,
  type TemplateAggregate,
  type TemplateVersion,
} from '../domain/change-template';
import { ChangeTemplateVersionEntity } from './change-template-version.entity';
import { ChangeTemplateEntity } from './change-template.entity';

export interface ChangeTemplateFilter {
  states?: string[];
  /** Case-insensitive, anywhere in the name or description. */
  text?: string;
}

/** `%`, `_` and `\` stand for themselves in a text filter. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Named queries on templates and their versions; writes take the caller's transaction. */
@Injectable()
export class ChangeTemplatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertTemplate(manager: EntityManager, template: ChangeTemplate): Promise<void> {
    await manager.insert(ChangeTemplateEntity, template);
  }

  async saveTemplate(manager: EntityManager, template: ChangeTemplate): Promise<void> {
    await manager.update(ChangeTemplateEntity, { id: template.id }, template);
  }

  async insertVersion(manager: EntityManager, version: TemplateVersion): Promise<void> {
    await manager.insert(ChangeTemplateVersionEntity, version);
  }

  async saveVersion(manager: EntityManager, version: TemplateVersion): Promise<void> {
    await manager.update(
      ChangeTemplateVersionEntity,
      { templateId: version.templateId, version: version.version },
      version,
    );
  }

  /** A template with all its versions, the template row locked against other writers. */
  async findForUpdate(manager: EntityManager, id: string): Promise<TemplateAggregate | null> {
    const template = await manager
      .getRepository(ChangeTemplateEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return template ? { template, versions: await this.versionsOf(manager, id) } : null;
  }

  async findAggregate(id: string): Promise<TemplateAggregate | null> {
    const manager = this.dataSource.manager;
    const template = await manager.getRepository(ChangeTemplateEntity).findOneBy({ id });
    return template ? { template, versions: await this.versionsOf(manager, id) } : null;
  }

  /**
   * The template a new change names and its published version, the template row shared-
   * locked so that the version cannot be superseded or retired before the change commits.
   */
  async findForNewChange(
    manager: EntityManager,
    id: string,
  ): Promise<{ template: ChangeTemplate | null; published: TemplateVersion | null }> {
    const template = await manager
      .getRepository(ChangeTemplateEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_read' } });
    if (!template?.publishedVersion) return { template, published: null };
    const published = await manager
      .getRepository(ChangeTemplateVersionEntity)
      .findOneBy({ templateId: id, version: template.publishedVersion });
    return { template, published };
  }

  async findVersion(templateId: string, version: number): Promise<TemplateVersion | null> {
    return this.dataSource
      .getRepository(ChangeTemplateVersionEntity)
      .findOneBy({ templateId, version });
  }

  /** The published and draft versions of these templates (what a list shows of each). */
  async findCurrentVersions(templateIds: readonly string[]): Promise<TemplateVersion[]> {
    if (templateIds.length === 0) return [];
    return this.dataSource.getRepository(ChangeTemplateVersionEntity).find({
      where: {
        templateId: In([...templateIds]),
        state: In(['published', 'proposed', 'approved']),
      },
    });
  }

  async listVersions(
    templateId: string,
    afterVersion: number | undefined,
    limit: number,
  ): Promise<TemplateVersion[]> {
    const query = this.dataSource
      .getRepository(ChangeTemplateVersionEntity)
      .createQueryBuilder('v')
      .where('v.templateId = :templateId', { templateId });
    if (afterVersion !== undefined) query.andWhere('v.version > :afterVersion', { afterVersion });
    return query
      .orderBy('v.version')
      .limit(limit + 1)
      .getMany();
  }

  /** One page by name (then id), limit + 1 rows. */
  async list(request: {
    filter: ChangeTemplateFilter;
    after?: { name: string; id: string };
    limit: number;
  }): Promise<ChangeTemplate[]> {
    const query = this.dataSource
      .getRepository(ChangeTemplateEntity)
      .createQueryBuilder('t')
      .where('TRUE');
    const { states, text } = request.filter;
    if (states?.length) query.andWhere('t.state IN (:...states)', { states });
    if (text) {
      query.andWhere(`(t.name ILIKE :pattern OR t.description ILIKE :pattern)`, {
        pattern: likePattern(text),
      });
    }
    if (request.after) query.andWhere('(t.name, t.id) > (:name, :id)', request.after);
    return query
      .orderBy('t.name')
      .addOrderBy('t.id')
      .limit(request.limit + 1)
      .getMany();
  }

  private async versionsOf(manager: EntityManager, templateId: string): Promise<TemplateVersion[]> {
    return manager
      .getRepository(ChangeTemplateVersionEntity)
      .find({ where: { templateId }, order: { version: 'ASC' } });
  }
}
