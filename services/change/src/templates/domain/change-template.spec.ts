import { RecordConflict, RuleViolation, StepForbidden, TransitionRefused } from '@itsm/domain';
import {
  draftOf,
  editDraft,
  moveTemplate,
  proposeTemplate,
  publishedOf,
  startVersion,
  type TemplateActor,
  type TemplateAggregate,
  type TemplateStep,
} from './change-template';

const ID = '00000000-0000-4000-8000-0000000000aa';
const NOW = new Date('2026-12-04T10:00:00Z');
const LATER = new Date('2026-12-05T10:00:00Z');

const manager: TemplateActor = { username: 'change_manager', mayApprove: true, mayWrite: true };
const cab: TemplateActor = { username: 'cab_member', mayApprove: true, mayWrite: false };
const otherManager: TemplateActor = { username: 'dana', mayApprove: true, mayWrite: true };

function proposed(): TemplateAggregate {
  return proposeTemplate(
    {
      name: ' Restart an application server ',
      changeTitle: 'Rolling restart of the payments servers',
      implementationPlan: 'Drain, restart, undrain, one node at a time',
      backoutPlan: 'Nothing to undo: a restart',
      tasks: [{ type: 'implementation', title: 'Restart each node', description: '' }],
    },
    ID,
    'change_manager',
    NOW,
  );
}

function move(aggregate: TemplateAggregate, to: string, actor: TemplateActor, extra = {}) {
  return moveTemplate(aggregate, { to, ...extra }, actor, LATER).aggregate;
}

/** Proposed by the change manager, approved by the CAB member, published by the manager. */
function publishedV1(): TemplateAggregate {
  return move(move(proposed(), 'approved', cab), 'published', manager);
}

function refusal(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('standard change templates', () => {
  it('are proposed as version 1 with defaults, the proposer its first author', () => {
    const { template, versions } = proposed();
    expect(template).toMatchObject({
      id: ID,
      name: 'Restart an application server',
      state: 'proposed',
      publishedVersion: null,
      draftVersion: 1,
      latestVersion: 1,
      createdBy: 'change_manager',
      revision: 1,
    });
    expect(versions).toEqual([
      expect.objectContaining({
        version: 1,
        state: 'proposed',
        impact: 3,
        risk: 'low',
        authors: ['change_manager'],
        proposedBy: 'change_manager',
        proposedAt: NOW,
        approvedBy: null,
      }),
    ]);
  });

  it('take the defaults for fields a body leaves out (present, but undefined)', () => {
    const { versions } = proposeTemplate(
      { name: 'n', changeTitle: 't', tasks: undefined, risk: undefined, impact: undefined },
      ID,
      'x',
      NOW,
    );
    expect(versions[0]).toMatchObject({ tasks: [], risk: 'low', impact: 3, description: '' });
  });

  it('refuse a risk above moderate, a blank name or task title', () => {
    const base = { name: 'n', changeTitle: 't' };
    expect(
      refusal(() => proposeTemplate({ ...base, risk: 'high' as 'low' }, ID, 'x', NOW)),
    ).toMatchObject({ field: 'risk' });
    expect(refusal(() => proposeTemplate({ ...base, name: ' ' }, ID, 'x', NOW))).toMatchObject({
      field: 'name',
    });
    expect(
      refusal(() =>
        proposeTemplate(
          { ...base, tasks: [{ type: 'testing', title: ' ', description: '' }] },
          ID,
          'x',
          NOW,
        ),
      ),
    ).toMatchObject({ field: 'tasks[0].title' });
  });

  it('approve with four eyes: not by an author of the version, and only with change:approve', () => {
    expect(refusal(() => move(proposed(), 'approved', manager))).toBeInstanceOf(StepForbidden);
    const edited = editDraft(proposed(), { testPlan: 'Probe /health' }, 'dana', LATER).aggregate;
    expect(draftOf(edited)?.authors).toEqual(['change_manager', 'dana']);
    expect(refusal(() => move(edited, 'approved', otherManager))).toBeInstanceOf(StepForbidden);
    expect(
      refusal(() => move(proposed(), 'approved', { ...manager, username: 'x', mayApprove: false })),
    ).toBeInstanceOf(StepForbidden);
    const approved = move(proposed(), 'approved', cab);
    expect(approved.template.state).toBe('approved');
    expect(draftOf(approved)).toMatchObject({ approvedBy: 'cab_member', approvedAt: LATER });
  });

  it('approve only a version with its implementation and backout plans', () => {
    const withoutBackout = editDraft(proposed(), { backoutPlan: null }, 'change_manager', NOW);
    expect(refusal(() => move(withoutBackout.aggregate, 'approved', cab))).toMatchObject({
      field: 'backoutPlan',
    });
  });

  it('leave every step but approving to change:write', () => {
    const approved = move(proposed(), 'approved', cab);
    expect(refusal(() => move(approved, 'published', cab))).toBeInstanceOf(StepForbidden);
    expect(refusal(() => move(proposed(), 'retired', cab))).toBeInstanceOf(StepForbidden);
    const published = move(approved, 'published', manager);
    expect(published.template).toMatchObject({
      state: 'published',
      publishedVersion: 1,
      draftVersion: null,
    });
    expect(publishedOf(published)).toMatchObject({ publishedBy: 'change_manager' });
  });

  it('send an approved version back to proposed, its approval cleared, with the reason kept', () => {
    const back = move(move(proposed(), 'approved', cab), 'proposed', manager, {
      reason: 'Add the health probe',
    });
    expect(draftOf(back)).toMatchObject({
      state: 'proposed',
      approvedBy: null,
      approvedAt: null,
      stateReason: 'Add the health probe',
    });
  });

  it('refuse a step the lifecycle does not take, naming the state and the allowed ones', () => {
    expect(refusal(() => move(proposed(), 'published', manager))).toMatchObject({
      from: 'proposed',
      to: 'published',
      allowed: ['approved', 'retired'],
    });
    expect(refusal(() => move(publishedV1(), 'proposed', manager))).toBeInstanceOf(
      TransitionRefused,
    );
    expect(refusal(() => move(proposed(), 'active', manager))).toBeInstanceOf(TransitionRefused);
  });

  it('edit only a proposed draft, and keep an edit that changes nothing a no-op', () => {
    expect(refusal(() => editDraft(publishedV1(), { name: 'x' }, 'dana', LATER))).toBeInstanceOf(
      RecordConflict,
    );
    const approved = move(proposed(), 'approved', cab);
    expect(refusal(() => editDraft(approved, { name: 'x' }, 'dana', LATER))).toBeInstanceOf(
      RecordConflict,
    );
    const unchanged: TemplateStep = editDraft(
      proposed(),
      { name: 'Restart an application server' },
      'dana',
      LATER,
    );
    expect(unchanged.changed).toEqual([]);
    expect(draftOf(unchanged.aggregate)?.authors).toEqual(['change_manager']);
  });

  it('start a new draft copied from the latest version, refused while a draft exists', () => {
    expect(refusal(() => startVersion(proposed(), 'dana', LATER))).toBeInstanceOf(RecordConflict);
    const step = startVersion(publishedV1(), 'dana', LATER);
    expect(step.changed).toEqual([2]);
    expect(step.aggregate.template).toMatchObject({
      state: 'published',
      publishedVersion: 1,
      draftVersion: 2,
      latestVersion: 2,
    });
    expect(draftOf(step.aggregate)).toMatchObject({
      version: 2,
      state: 'proposed',
      changeTitle: 'Rolling restart of the payments servers',
      authors: ['dana'],
      proposedBy: 'dana',
      approvedBy: null,
      publishedAt: null,
    });
  });

  it('supersede the published version when the next one is published, retiring it first', () => {
    const v2 = editDraft(
      startVersion(publishedV1(), 'dana', LATER).aggregate,
      { name: 'Restart an application server (v2)', risk: 'moderate' },
      'dana',
      LATER,
    ).aggregate;
    const approved = move(v2, 'approved', manager);
    const step = moveTemplate(approved, { to: 'published' }, manager, LATER);
    expect(step.changed).toEqual([1, 2]);
    const [first, second] = step.aggregate.versions;
    expect(first).toMatchObject({
      state: 'retired',
      supersededBy: 2,
      retiredBy: 'change_manager',
      stateReason: 'Superseded by version 2',
    });
    expect(second).toMatchObject({ state: 'published', risk: 'moderate' });
    expect(step.aggregate.template).toMatchObject({
      name: 'Restart an application server (v2)',
      state: 'published',
      publishedVersion: 2,
      draftVersion: null,
    });
  });

  it('move the draft by default, and the version named otherwise', () => {
    const withDraft = startVersion(publishedV1(), 'dana', LATER).aggregate;
    const withdrawn = move(withDraft, 'retired', manager, { reason: 'Not needed' });
    expect(withdrawn.versions.map((version) => version.state)).toEqual(['published', 'retired']);
    const retiredV1 = move(withDraft, 'retired', manager, { version: 1 });
    expect(retiredV1.versions.map((version) => version.state)).toEqual(['retired', 'proposed']);
    expect(retiredV1.template).toMatchObject({ state: 'proposed', publishedVersion: null });
    expect(refusal(() => move(withDraft, 'retired', manager, { version: 7 }))).toBeInstanceOf(
      RuleViolation,
    );
  });

  it('are retired when no version is published or on its way, and take no step then', () => {
    const retired = move(publishedV1(), 'retired', manager);
    expect(retired.template).toMatchObject({ state: 'retired', publishedVersion: null });
    expect(refusal(() => move(retired, 'published', manager))).toMatchObject({
      from: 'retired',
      allowed: [],
    });
    // A retired template comes back only through a new version, approved again.
    expect(startVersion(retired, 'dana', LATER).aggregate.template.state).toBe('proposed');
  });
});
