import { type Caller, type RecordOwnership } from './caller';
import { hasPermission, seesAllRecords } from './permissions';

/**
 * Record-level rule: managers, auditors and admins see every record; anyone else sees the
 * records they requested, are assigned to, or that belong to one of their groups.
 */
export function canSeeRecord(caller: Caller, record: RecordOwnership): boolean {
  if (seesAllRecords(caller.roles)) return true;
  if (record.requester === caller.username || record.assignee === caller.username) return true;
  return Boolean(record.assignmentGroup && caller.groups.includes(record.assignmentGroup));
}

/**
 * Work notes are internal: those who work the record type (`<type>:update`) and those who
 * see every record (managers, auditors) read them; requesters read comments only.
 */
export function canReadWorkNotes(caller: Caller, recordType: 'incident' | 'request'): boolean {
  return seesAllRecords(caller.roles) || hasPermission(caller.roles, `${recordType}:update`);
}
