import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { type Caller } from '@itsm/auth';
import { EventValidator } from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { createServiceDataSource } from '@itsm/persistence';
import { testEnvironment } from '@itsm/testing';
import { ChangeWriter } from '../src/changes/application/change-writer';
import { ChangesRepository } from '../src/changes/persistence/changes.repository';
import { CmdbClassesClient } from '../src/cmdb/cmdb-classes.client';
import { detectConflicts } from '../src/conflicts/domain/change-conflicts';
import { FreezeHolds } from '../src/freezes/application/freeze-holds';
import { type ScheduledWindow } from '../src/conflicts/domain/schedule';
import { changeService } from '../src/service.definition';
import { ChangeWindowWriter } from '../src/windows/application/change-window-writer';
import { ChangeWindowsService } from '../src/windows/application/change-windows.service';
import { type NewChangeWindow } from '../src/windows/domain/change-window';
import { ChangeWindowsRepository } from '../src/windows/persistence/change-windows.repository';

const manager: Caller = {
  username: 'change_manager',
  roles: ['change_manager'],
  groups: [],
  kind: 'user',
};

/**
 * The schedule the change record's conflict detection reads (`scheduleBetween`), against
 * PostgreSQL: which windows its query keeps for a range (the ones that may occur in it,
 * and freezes in force), expanded, and what conflict detection makes of them. The windows
 * are in 2033, a year no other suite uses; recurring ones of other suites are told apart
 * by id.
 */
describe('the change schedule read for conflict detection', () => {
  let dataSource: DataSource;
  let windows: ChangeWindowsService;

  beforeAll(async () => {
    dataSource = createServiceDataSource({
      databaseUrl: testEnvironment().databaseUrl,
      schema: changeService.schema,
      applicationName: 'itsm-change-schedule-test',
      entities: changeService.entities,
      migrations: [],
    });
    await dataSource.initialize();
    const repository = new ChangeWindowsRepository(dataSource);
    const outbox = new OutboxWriter('change', new EventValidator());
    const changes = new ChangesRepository(dataSource);
    windows = new ChangeWindowsService(
      dataSource,
      repository,
      new ChangeWindowWriter(repository, outbox),
      new FreezeHolds(
        changes,
        new ChangeWriter(changes, outbox),
        // A CMDB that knows none of the CIs: the freeze below, scoped by class, holds nothing.
        new CmdbClassesClient(
          { get: () => Promise.resolve({ degraded: false, value: { items: [] } as never }) },
          1000,
        ),
      ),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const define = async (fields: Partial<Omit<NewChangeWindow, 'createdBy'>>) =>
    windows.create(
      {
        name: `Window ${randomUUID()}`,
        kind: 'blackout',
        start: new Date('2033-04-09T22:00:00+02:00'),
        end: new Date('2033-04-10T02:00:00+02:00'),
        ...fields,
      },
      manager,
    );

  it('keeps the windows that may occur in the range and freezes in force, with their occurrences', async () => {
    const web = randomUUID();
    const saturdays = await define({
      kind: 'maintenance',
      recurrence: 'FREQ=WEEKLY;BYDAY=SA',
      timeZone: 'Europe/Berlin',
      start: new Date('2033-03-19T22:00:00+01:00'),
      end: new Date('2033-03-20T02:00:00+01:00'),
      ciIds: [web],
    });
    const before = await define({
      start: new Date('2033-03-01T00:00:00Z'),
      end: new Date('2033-03-02T00:00:00Z'),
    });
    const after = await define({
      start: new Date('2033-06-01T00:00:00Z'),
      end: new Date('2033-06-02T00:00:00Z'),
    });
    const countedOut = await define({
      recurrence: 'FREQ=DAILY;COUNT=3',
      timeZone: 'UTC',
      start: new Date('2033-03-10T00:00:00Z'),
      end: new Date('2033-03-10T01:00:00Z'),
    });
    const inactive = await define({ active: false });
    const retired = await define({});
    await windows.retire(retired.id, retired.version, manager);
    const lockdown = await define({
      kind: 'freeze',
      start: new Date('2035-01-01T00:00:00Z'),
      end: new Date('2035-01-02T00:00:00Z'),
      // A class no CI has: a freeze in force refuses every change on its scope from now on,
      // whatever its dates, and the suites after this one share the database.
      ciClasses: ['schedule_spec_lockdown'],
    });
    const enforced = await windows.enforce(lockdown.id, undefined, manager);
    const inRange = await define({
      start: new Date('2033-04-11T08:00:00Z'),
      end: new Date('2033-04-11T12:00:00Z'),
      businessServiceIds: [randomUUID()],
    });

    const from = new Date('2033-04-06T00:00:00Z');
    const to = new Date('2033-04-13T00:00:00Z');
    const mine = new Set(
      [saturdays, before, after, countedOut, inactive, retired, lockdown, inRange].map((w) => w.id),
    );
    const schedule = (await windows.scheduleBetween(from, to)).filter((window) =>
      mine.has(window.id),
    );
    expect(schedule.map((window) => window.id).sort()).toEqual(
      [saturdays.id, lockdown.id, inRange.id].sort(),
    );
    const byId = new Map(schedule.map((window): [string, ScheduledWindow] => [window.id, window]));
    expect(byId.get(saturdays.id)).toMatchObject({
      kind: 'maintenance',
      scope: { ciIds: [web], businessServiceIds: [], ciClasses: [] },
      // 22:00 in Berlin, summer time.
      occurrences: [
        { start: new Date('2033-04-09T20:00:00Z'), end: new Date('2033-04-10T00:00:00Z') },
      ],
      inForceSince: null,
    });
    expect(byId.get(lockdown.id)).toMatchObject({
      occurrences: [],
      inForceSince: new Date(enforced.enforcedAt!),
    });

    // A change on the web CI on Saturday 9 April at 21:00 UTC (23:00 in Berlin) runs past the window's end.
    const found = detectConflicts({
      change: {
        id: randomUUID(),
        model: 'normal',
        plannedStart: new Date('2033-04-09T21:00:00Z'),
        plannedEnd: new Date('2033-04-10T01:00:00Z'),
        ciIds: [web],
        businessServiceIds: [],
        ciClassesById: { [web]: 'server' },
        assignee: null,
        blackoutOverrideReason: null,
      },
      otherChanges: [],
      windows: schedule,
      dependencies: [],
    });
    expect(found.map((conflict) => [conflict.kind, conflict.windowId])).toEqual([
      ['outside_maintenance_window', saturdays.id],
    ]);
  });
});
