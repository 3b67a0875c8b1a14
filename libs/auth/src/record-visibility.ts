import { type Caller, type RecordOwnership } from './caller';
import { seesAllRecords } from './permissions';

/**
 * Record-level rule: managers, auditors and admins see every record; anyone else sees the
 * records they requested, are assigned to, or that belong to one of their groups.
 */
export function canSeeRecord(caller: Caller, record: RecordOwnership): boolean {
  if (seesAllRecords(caller.roles)) return true;
  if (record.requester === caller.username || record.assignee === caller.username) return true;
  return Boolean(record.assignmentGroup && caller.groups.includes(record.assignmentGroup));
}
