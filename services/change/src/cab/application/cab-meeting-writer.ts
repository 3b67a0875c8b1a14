import { Injectable } from '@nestjs/common';
import {
  CabMeetingEventTypes,
  Topics,
  previousValues,
  type CabMeetingEventV1,
  type CabMeetingHappening,
} from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import { OutboxWriter } from '@itsm/messaging';
import { type EntityManager } from 'typeorm';
import { diffCabMeetings, fieldsSetOnDefine, type CabMeeting } from '../domain/cab-meeting';
import { CabMeetingsRepository } from '../persistence/cab-meetings.repository';
import { toSnapshot } from './cab-meeting-view';

/**
 * The one way a CAB meeting definition changes: in the caller's transaction it stores the
 * row, one history entry per field set or changed, and the outbox event, so that none of
 * these exists without the others.
 */
@Injectable()
export class CabMeetingWriter {
  constructor(
    private readonly meetings: CabMeetingsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(manager: EntityManager, meeting: CabMeeting): Promise<void> {
    await this.meetings.insert(manager, meeting);
    const fields = fieldsSetOnDefine(meeting);
    await this.meetings.appendHistory(
      manager,
      meeting.id,
      fields,
      meeting.createdBy,
      meeting.createdAt,
    );
    await this.publish(manager, 'created', meeting, fields, {});
  }

  /** Stores `after` as the next version of `before` when any field differs; returns it as stored. */
  async commit(
    manager: EntityManager,
    before: CabMeeting,
    after: CabMeeting,
    happening: Exclude<CabMeetingHappening, 'created'>,
    actor: string,
    now: Date,
  ): Promise<CabMeeting> {
    const changes = diffCabMeetings(before, after);
    if (changes.length === 0) return before;
    const stored: CabMeeting = {
      ...after,
      updatedBy: actor,
      updatedAt: now,
      version: before.version + 1,
    };
    await this.meetings.save(manager, stored);
    await this.meetings.appendHistory(manager, stored.id, changes, actor, now);
    await this.publish(manager, happening, stored, changes, previousValues(changes));
    return stored;
  }

  private async publish(
    manager: EntityManager,
    happening: CabMeetingHappening,
    meeting: CabMeeting,
    changes: readonly FieldChange[],
    previous: Record<string, unknown>,
  ): Promise<void> {
    await this.outbox.append<CabMeetingEventV1>(manager, {
      topic: Topics.changeEvents,
      type: CabMeetingEventTypes[happening],
      subject: meeting.id,
      data: {
        meeting: toSnapshot(meeting),
        changedFields: changes.map((change) => change.field),
        previous,
      },
    });
  }
}
