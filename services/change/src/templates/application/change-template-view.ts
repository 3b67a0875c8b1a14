import { type ChangeTemplateSnapshot, type ChangeTemplateVersionSnapshot } from '@itsm/contracts';
import {
  draftOf,
  publishedOf,
  type ChangeTemplate,
  type TemplateAggregate,
  type TemplateVersion,
} from '../domain/change-template';

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

export function toTemplateSnapshot(template: ChangeTemplate): ChangeTemplateSnapshot {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    state: template.state,
    publishedVersion: template.publishedVersion,
    draftVersion: template.draftVersion,
    latestVersion: template.latestVersion,
    createdBy: template.createdBy,
    createdAt: template.createdAt.toISOString(),
    updatedAt: template.updatedAt.toISOString(),
    revision: template.revision,
  };
}

export function toVersionSnapshot(version: TemplateVersion): ChangeTemplateVersionSnapshot {
  return {
    templateId: version.templateId,
    version: version.version,
    state: version.state,
    name: version.name,
    description: version.description,
    changeTitle: version.changeTitle,
    changeDescription: version.changeDescription,
    category: version.category,
    implementationPlan: version.implementationPlan,
    backoutPlan: version.backoutPlan,
    testPlan: version.testPlan,
    impact: version.impact,
    risk: version.risk,
    assignmentGroup: version.assignmentGroup,
    tasks: version.tasks.map((task) => ({ ...task })),
    authors: version.authors,
    proposedBy: version.proposedBy,
    proposedAt: version.proposedAt.toISOString(),
    approvedBy: version.approvedBy,
    approvedAt: iso(version.approvedAt),
    publishedBy: version.publishedBy,
    publishedAt: iso(version.publishedAt),
    retiredBy: version.retiredBy,
    retiredAt: iso(version.retiredAt),
    supersededBy: version.supersededBy,
    stateReason: version.stateReason,
    updatedAt: version.updatedAt.toISOString(),
  };
}

/** A template as the API answers it: the summary, with its published version and its draft. */
export interface ChangeTemplateView extends ChangeTemplateSnapshot {
  published: ChangeTemplateVersionSnapshot | null;
  draft: ChangeTemplateVersionSnapshot | null;
}

export function toTemplateView(aggregate: TemplateAggregate): ChangeTemplateView {
  const published = publishedOf(aggregate);
  const draft = draftOf(aggregate);
  return {
    ...toTemplateSnapshot(aggregate.template),
    published: published ? toVersionSnapshot(published) : null,
    draft: draft ? toVersionSnapshot(draft) : null,
  };
}
