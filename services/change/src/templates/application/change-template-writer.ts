import { Injectable } from '@nestjs/common';
import {
  ChangeTemplateEventTypes,
  Topics,
  previousValues,
  type ChangeTemplateEventV1,
} from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import { OutboxWriter } from '@itsm/messaging';
import { type EntityManager } from 'typeorm';
import {
  diffVersions,
  versionFieldsOnOpen,
  type TemplateAggregate,
  type TemplateStep,
  type TemplateVersion,
} from '../domain/change-template';
import { ChangeTemplatesRepository } from '../persistence/change-templates.repository';
import { toTemplateSnapshot, toVersionSnapshot } from './change-template-view';

/**
 * The one way a template changes: in the caller's transaction it stores the template's
 * next revision, the versions a step changed and one outbox event per happening, so that
 * none of these exists without the others.
 */
@Injectable()
export class ChangeTemplateWriter {
  constructor(
    private readonly templates: ChangeTemplatesRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(manager: EntityManager, aggregate: TemplateAggregate): Promise<void> {
    await this.templates.insertTemplate(manager, aggregate.template);
    for (const version of aggregate.versions) {
      await this.templates.insertVersion(manager, version);
      await this.publish(manager, aggregate, version, ['created'], versionFieldsOnOpen(version));
    }
  }

  /** Stores a step's outcome as the template's next revision; `before` when it changed nothing. */
  async commit(
    manager: EntityManager,
    before: TemplateAggregate,
    step: TemplateStep,
    now: Date,
  ): Promise<TemplateAggregate> {
    if (step.changed.length === 0) return before;
    const stored: TemplateAggregate = {
      template: {
        ...step.aggregate.template,
        updatedAt: now,
        revision: before.template.revision + 1,
      },
      versions: step.aggregate.versions,
    };
    await this.templates.saveTemplate(manager, stored.template);
    for (const number of step.changed) {
      const previous = before.versions.find((version) => version.version === number);
      const version = stored.versions.find((candidate) => candidate.version === number);
      if (!version) throw new Error(`step changed version ${number}, which it does not hold`);
      if (!previous) {
        await this.templates.insertVersion(manager, version);
        await this.publish(
          manager,
          stored,
          version,
          ['version_started'],
          versionFieldsOnOpen(version),
        );
        continue;
      }
      await this.templates.saveVersion(manager, version);
      const changes = diffVersions(previous, version);
      await this.publish(manager, stored, version, happeningsOf(changes), changes);
    }
    return stored;
  }

  private async publish(
    manager: EntityManager,
    aggregate: TemplateAggregate,
    version: TemplateVersion,
    happenings: readonly (keyof typeof HAPPENING_TYPES)[],
    changes: readonly FieldChange[],
  ): Promise<void> {
    const opening = happenings.includes('created') || happenings.includes('version_started');
    const data: ChangeTemplateEventV1 = {
      template: toTemplateSnapshot(aggregate.template),
      version: toVersionSnapshot(version),
      changedFields: changes.map((change) => change.field),
      previous: opening ? {} : previousValues(changes),
    };
    for (const happening of happenings) {
      await this.outbox.append(manager, {
        topic: Topics.changeEvents,
        type: HAPPENING_TYPES[happening],
        subject: aggregate.template.id,
        data,
      });
    }
  }
}

const HAPPENING_TYPES = {
  created: ChangeTemplateEventTypes.created,
  updated: ChangeTemplateEventTypes.updated,
  version_started: ChangeTemplateEventTypes.versionStarted,
  state_changed: ChangeTemplateEventTypes.stateChanged,
  published: ChangeTemplateEventTypes.published,
  retired: ChangeTemplateEventTypes.retired,
} as const;

/** A version's move is `state_changed` and its milestone; any other change of a draft is `updated`. */
function happeningsOf(changes: readonly FieldChange[]): (keyof typeof HAPPENING_TYPES)[] {
  const state = changes.find((change) => change.field === 'state');
  if (!state) return ['updated'];
  if (state.newValue === 'published') return ['state_changed', 'published'];
  if (state.newValue === 'retired') return ['state_changed', 'retired'];
  return ['state_changed'];
}
