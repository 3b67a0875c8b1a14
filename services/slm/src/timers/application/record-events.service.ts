import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { serviceRecordOf, type ItsmCloudEvent } from '@itsm/contracts';
import { CalendarsRepository } from '../../calendars/persistence/calendars.repository';
import { SlaDefinitionsRepository } from '../../slas/persistence/sla-definitions.repository';
import { definitionKey, reconcileRecord } from '../domain/reconcile-record';
import { SlaRecordEntity } from '../persistence/sla-record.entity';
import { SlaRecordsRepository } from '../persistence/sla-records.repository';
import { SlaTimerEntity } from '../persistence/sla-timer.entity';
import { SlaTimersRepository } from '../persistence/sla-timers.repository';
import { TimerEventsPublisher } from './timer-events.publisher';

/** Applies an incident or request event to the record's timers, in the inbox transaction. */
@Injectable()
export class RecordEventsService {
  constructor(
    private readonly records: SlaRecordsRepository,
    private readonly timers: SlaTimersRepository,
    private readonly definitions: SlaDefinitionsRepository,
    private readonly calendars: CalendarsRepository,
    private readonly publisher: TimerEventsPublisher,
  ) {}

  async apply(manager: EntityManager, event: ItsmCloudEvent): Promise<void> {
    const record = serviceRecordOf(event.data);
    if (!record) return;
    const known = await this.records.findForUpdate(manager, record.id);
    // Several events describe one change (same version); an older version is stale.
    if (known && record.version < known.recordVersion) return;

    const timers = await this.timers.findByRecordForUpdate(manager, record.id);
    const definitions = await this.definitions.currentActiveFor(manager, record.type);
    const timerDefinitions = await this.definitions.versions(manager, timers);
    const calendars = await this.calendars.loadForArithmetic(
      [...timers, ...definitions].map((item) => item.calendarId),
      manager,
    );
    const before = new Map(timers.map((timer) => [timer.id, JSON.stringify(timer)]));
    const outcome = reconcileRecord({
      record,
      known: known ?? undefined,
      at: Date.parse(event.time),
      now: Date.now(),
      timers,
      definitions,
      timerDefinitions: new Map(timerDefinitions.map((d) => [definitionKey(d.id, d.version), d])),
      calendars,
      newId: randomUUID,
    });

    const now = new Date();
    const changed = timers.filter((timer) => JSON.stringify(timer) !== before.get(timer.id));
    for (const timer of [...changed, ...outcome.created]) timer.updatedAt = now;
    await this.timers.insert(
      manager,
      outcome.created.map((timer) => Object.assign(new SlaTimerEntity(), timer)),
    );
    await this.timers.update(manager, changed);
    await this.records.save(
      manager,
      Object.assign(new SlaRecordEntity(), {
        recordId: record.id,
        recordType: record.type,
        number: record.number,
        priority: record.priority,
        state: record.state,
        requester: record.requester,
        assignmentGroup: record.assignmentGroup,
        assignee: record.assignee,
        reopenCount: record.reopenCount,
        recordVersion: Math.max(record.version, known?.recordVersion ?? 0),
        updatedAt: now,
      }),
    );
    await this.publisher.publish(manager, outcome.changes, event.id);
  }
}
