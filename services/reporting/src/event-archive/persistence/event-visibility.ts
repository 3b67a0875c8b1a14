import { type EntityManager } from 'typeorm';
import {
  UNRESTRICTED,
  configurationItemCondition,
  hasPermission,
  ownedRecordCondition,
  type Caller,
  type RecordAccessPolicy,
  type SqlCondition,
} from '@itsm/auth';
import { qualifiedTable } from '@itsm/persistence';
import { EVENT_FAMILIES, FAMILY_READ_PERMISSION } from '../domain/event-access';
import { RecordAccessEntity } from './record-access.entity';

/**
 * The events of the archive (alias `archived`) a caller may read, as a condition the
 * query applies, so that pages stay full and cursors right: the read permission of the
 * event's family, and then the record-level rule on the record the event is about, by that
 * record's current ownership (`record_access`). An incident, request or problem event whose record
 * the archive has no ownership for yet is hidden from those the rule restricts until it
 * has; a CI is hidden only once the archive knows it is restricted.
 */
export function archiveVisibility(
  manager: EntityManager,
  caller: Caller,
  policy: RecordAccessPolicy,
): SqlCondition {
  const access = qualifiedTable(manager.connection.getMetadata(RecordAccessEntity));
  const records = ownedRecordCondition(caller, policy, access, 'archived.record_ids[1]');
  const ci = configurationItemCondition(caller, {
    restricted: 'ci_owner.restricted',
    ownerGroup: 'ci_owner.owner_group',
  });
  const ofRecords = `archived.record_type IN ('incident', 'request', 'problem')`;
  const ofCis = `archived.record_type = 'ci'`;
  const governed = [
    records === UNRESTRICTED ? ofRecords : `(${ofRecords} AND ${records.sql})`,
    ci === UNRESTRICTED
      ? ofCis
      : `(${ofCis} AND NOT EXISTS (SELECT 1 FROM ${access} AS ci_owner
           WHERE ci_owner.record_id = ANY(archived.record_ids) AND NOT ${ci.sql}))`,
  ];
  return {
    sql: `archived.family = ANY(:readableFamilies)
          AND (archived.record_type IS NULL OR ${governed.join(' OR ')})`,
    parameters: {
      ...records.parameters,
      ...ci.parameters,
      readableFamilies: EVENT_FAMILIES.filter((family) =>
        hasPermission(caller.roles, FAMILY_READ_PERMISSION[family]),
      ),
    },
  };
}
