import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type TemplateRisk } from '../../risk/domain/risk-facts';
import { publishedForNewChange, type PublishedTemplate } from '../domain/standard-change';
import { ChangeTemplatesRepository } from '../persistence/change-templates.repository';

/**
 * What the changes module asks of templates: the published version a new standard change
 * is opened from, read in the change's transaction (and held there, so that it is not
 * superseded or retired before the change commits).
 */
@Injectable()
export class PublishedTemplates {
  constructor(private readonly templates: ChangeTemplatesRepository) {}

  /** The published version, or a `RuleViolation` on `templateId` saying why there is none. */
  async forNewChange(manager: EntityManager, templateId: string): Promise<PublishedTemplate> {
    const { template, published } = await this.templates.findForNewChange(manager, templateId);
    return publishedForNewChange(template, published);
  }

  /** The risk the version a standard change came from was assessed at, for the change's risk to start from. */
  async riskOf(templateId: string, version: number): Promise<TemplateRisk | null> {
    const found = await this.templates.findVersion(templateId, version);
    return found && { id: templateId, name: found.name, version: found.version, risk: found.risk };
  }
}
