import { type ChangeTemplateTask } from '@itsm/contracts';
import { RuleViolation } from '@itsm/domain';
import { type ChangeImpact, type NewChange } from '../../changes/domain/change';
import { type ChangeTemplate, type TemplateVersion } from './change-template';

/** The published version a standard change is opened from: what it fixes, its risk and its tasks. */
export interface PublishedTemplate {
  templateId: string;
  version: number;
  name: string;
  changeTitle: string;
  changeDescription: string;
  category: string | null;
  implementationPlan: string | null;
  backoutPlan: string | null;
  testPlan: string | null;
  impact: ChangeImpact;
  risk: TemplateVersion['risk'];
  assignmentGroup: string | null;
  tasks: ChangeTemplateTask[];
}

/** The change fields a template fixes: a body giving one is refused, naming it. */
export const FIXED_BY_TEMPLATE = [
  'title',
  'description',
  'category',
  'implementationPlan',
  'backoutPlan',
  'testPlan',
  'impact',
] as const satisfies readonly (keyof NewChange)[];

/**
 * The published version of a template a new change names, or why it cannot open one
 * (a 400 naming `templateId`): unknown, retired, or not published.
 */
export function publishedForNewChange(
  template: ChangeTemplate | null,
  published: TemplateVersion | null,
): PublishedTemplate {
  if (!template) throw new RuleViolation('templateId', 'is not a standard change template');
  if (!published) {
    throw new RuleViolation(
      'templateId',
      template.state === 'retired'
        ? `is template "${template.name}", which is retired: it opens no new changes`
        : `is template "${template.name}", which has no published version (its version ${template.latestVersion} is ${template.state})`,
    );
  }
  return {
    templateId: template.id,
    version: published.version,
    name: published.name,
    changeTitle: published.changeTitle,
    changeDescription: published.changeDescription,
    category: published.category,
    implementationPlan: published.implementationPlan,
    backoutPlan: published.backoutPlan,
    testPlan: published.testPlan,
    impact: published.impact,
    risk: published.risk,
    assignmentGroup: published.assignmentGroup,
    tasks: published.tasks,
  };
}

/**
 * A standard change's input from its template and what the body may still give (dates,
 * CIs, services, people, links): the template's fields win, and a body that gives one of
 * them is refused rather than silently overridden.
 */
export function standardChangeInput(
  template: PublishedTemplate,
  body: Omit<NewChange, 'title'> & { title?: string },
): NewChange {
  const fixed = FIXED_BY_TEMPLATE.find((field) => body[field] !== undefined);
  if (fixed) {
    throw new RuleViolation(
      fixed,
      `is fixed by the standard change template "${template.name}" v${template.version}; leave it out`,
    );
  }
  return {
    ...body,
    model: 'standard',
    templateId: template.templateId,
    templateVersion: template.version,
    title: template.changeTitle,
    description: template.changeDescription,
    category: template.category,
    implementationPlan: template.implementationPlan,
    backoutPlan: template.backoutPlan,
    testPlan: template.testPlan,
    impact: template.impact,
    assignmentGroup: body.assignmentGroup ?? template.assignmentGroup,
  };
}
