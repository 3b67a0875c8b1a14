import { type EntityManager } from 'typeorm';
import {
  ownedRecordCondition,
  type Caller,
  type RecordAccessPolicy,
  type SqlCondition,
} from '@itsm/auth';
import { qualifiedTable } from '@itsm/persistence';
import { SlaRecordEntity } from './sla-record.entity';

/**
 * The timers (alias `timerAlias`) of records the caller may see, by the record's current
 * ownership as the slm last heard it (`sla_records`): for every query that lists or
 * counts timers, so that a list never shows what a read would answer 404.
 */
export function visibleTimers(
  manager: EntityManager,
  caller: Caller,
  policy: RecordAccessPolicy,
  timerAlias: string,
): SqlCondition {
  return ownedRecordCondition(
    caller,
    policy,
    qualifiedTable(manager.connection.getMetadata(SlaRecordEntity)),
    `${timerAlias}.record_id`,
  );
}
