import { RuleViolation } from '@itsm/domain';
import { openChange } from '../../changes/domain/change';
import { moveTemplate, proposeTemplate, type TemplateActor } from './change-template';
import { publishedForNewChange, standardChangeInput } from './standard-change';

const NOW = new Date('2026-12-04T10:00:00Z');
const cab: TemplateActor = { username: 'cab_member', mayApprove: true, mayWrite: false };
const manager: TemplateActor = { username: 'change_manager', mayApprove: true, mayWrite: true };

function aggregate() {
  return proposeTemplate(
    {
      name: 'Restart an application server',
      changeTitle: 'Rolling restart of the payments servers',
      changeDescription: 'One node at a time behind the load balancer',
      category: 'software',
      implementationPlan: 'Drain, restart, undrain',
      backoutPlan: 'Nothing to undo',
      impact: 2,
      risk: 'moderate',
      assignmentGroup: 'applications',
    },
    '00000000-0000-4000-8000-0000000000aa',
    'change_manager',
    NOW,
  );
}

function published() {
  const approved = moveTemplate(aggregate(), { to: 'approved' }, cab, NOW).aggregate;
  const done = moveTemplate(approved, { to: 'published' }, manager, NOW).aggregate;
  return publishedForNewChange(done.template, done.versions[0] ?? null);
}

function reason(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleViolation);
    expect((error as RuleViolation).field).toBe('templateId');
    return (error as RuleViolation).reason;
  }
  throw new Error('expected a refusal');
}

describe('a standard change from its template', () => {
  it('is refused for an unknown, unpublished or retired template, saying which', () => {
    expect(reason(() => publishedForNewChange(null, null))).toContain('not a standard change');
    const { template } = aggregate();
    expect(reason(() => publishedForNewChange(template, null))).toContain('no published version');
    expect(reason(() => publishedForNewChange({ ...template, state: 'retired' }, null))).toContain(
      'retired',
    );
  });

  it('takes the fixed fields, the default group unless it names one, and the template as its source', () => {
    const template = published();
    const input = standardChangeInput(template, {
      model: 'standard',
      requestedBy: 'change_manager',
      ciIds: ['00000000-0000-4000-8000-0000000000c1'],
    });
    expect(input).toMatchObject({
      title: 'Rolling restart of the payments servers',
      description: 'One node at a time behind the load balancer',
      category: 'software',
      impact: 2,
      templateId: template.templateId,
      templateVersion: 1,
      assignmentGroup: 'applications',
    });
    const change = openChange(input, { id: 'c', sequence: 1 }, NOW);
    expect(change.approval).toBe('not_required');
    expect(
      standardChangeInput(template, {
        model: 'standard',
        requestedBy: 'x',
        assignmentGroup: 'database',
      }).assignmentGroup,
    ).toBe('database');
  });

  it('refuses a body giving a field the template fixes, naming it', () => {
    for (const field of ['title', 'description', 'implementationPlan', 'impact'] as const) {
      let error: unknown;
      try {
        standardChangeInput(published(), { model: 'standard', requestedBy: 'x', [field]: 'x' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ field });
    }
  });
});
