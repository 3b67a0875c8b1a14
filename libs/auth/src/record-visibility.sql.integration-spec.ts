import { queryTestDatabase } from '@itsm/testing';
import { type Caller, type RecordOwnership } from './caller';
import {
  canSeeConfigurationItem,
  canSeeRecord,
  isInScope,
  type RecordScope,
} from './record-visibility';
import {
  configurationItemCondition,
  recordScopeCondition,
  serviceRecordCondition,
  type SqlCondition,
} from './record-visibility.sql';

/** Runs the condition in PostgreSQL over `rows` and answers, per row, whether it held. */
async function evaluate(condition: SqlCondition, rows: object[]): Promise<boolean[]> {
  const values: unknown[] = [JSON.stringify(rows.map((row, n) => ({ ...row, n })))];
  const sql = condition.sql.replace(/:(\w+)/g, (_, name: string) => {
    values.push(condition.parameters[name]);
    return `$${values.length}`;
  });
  const answers = await queryTestDatabase<{ visible: boolean }>(
    `SELECT ${sql} AS visible
       FROM jsonb_to_recordset($1::jsonb) AS row(record_type text, requester text, assignment_group text,
            assignee text, restricted boolean, owner_group text, n int)
      ORDER BY row.n`,
    values,
  );
  return answers.map((answer) => answer.visible);
}

const records: RecordOwnership[] = [
  { requester: 'sam', assignmentGroup: 'network', assignee: 'alex' },
  { requester: 'sam', assignmentGroup: null, assignee: null },
  { requester: 'pat', assignmentGroup: 'database', assignee: null },
  { requester: 'kim', assignmentGroup: 'database', assignee: 'pat' },
];
const rows = records.map((record) => ({
  requester: record.requester,
  assignment_group: record.assignmentGroup,
  assignee: record.assignee,
}));
const columns = {
  requester: 'row.requester',
  assignmentGroup: 'row.assignment_group',
  assignee: 'row.assignee',
};

describe('the record-level rule as SQL agrees with the rule in memory', () => {
  const scopes: RecordScope[] = [
    { kind: 'all' },
    { kind: 'restricted', username: 'pat', groups: ['network'], unassigned: true },
    { kind: 'restricted', username: 'pat', groups: [], unassigned: false },
    { kind: 'restricted', username: 'sam', groups: ['database', 'network'], unassigned: false },
  ];

  it.each(scopes)('for %j', async (scope) => {
    expect(await evaluate(recordScopeCondition(scope, columns), rows)).toEqual(
      records.map((record) => isInScope(scope, record)),
    );
  });

  it('for restricted CIs', async () => {
    const items = [
      { restricted: false, ownerGroup: null },
      { restricted: true, ownerGroup: 'security' },
      { restricted: true, ownerGroup: null },
      { restricted: true, ownerGroup: 'network' },
    ];
    const callers: Caller[] = [
      { username: 'pat', roles: ['agent'], groups: ['security'], kind: 'user' },
      { username: 'pat', roles: ['agent'], groups: [], kind: 'user' },
      { username: 'cm', roles: ['configuration_manager'], groups: [], kind: 'user' },
    ];
    for (const caller of callers) {
      const condition = configurationItemCondition(caller, {
        restricted: 'row.restricted',
        ownerGroup: 'row.owner_group',
      });
      expect(
        await evaluate(
          condition,
          items.map((item) => ({ restricted: item.restricted, owner_group: item.ownerGroup })),
        ),
      ).toEqual(items.map((item) => canSeeConfigurationItem(caller, item)));
    }
  });
});

describe('the rule over rows of both record types', () => {
  const mixed = [
    { type: 'incident' as const, requester: 'sam', assignmentGroup: 'network', assignee: null },
    { type: 'request' as const, requester: 'sam', assignmentGroup: 'network', assignee: null },
    { type: 'request' as const, requester: 'pat', assignmentGroup: null, assignee: null },
    { type: 'incident' as const, requester: 'kim', assignmentGroup: null, assignee: null },
  ];
  const callers: Caller[] = [
    { username: 'pat', roles: ['agent'], groups: ['network'], kind: 'user' },
    { username: 'pat', roles: ['requester'], groups: [], kind: 'user' },
    { username: 'pat', roles: ['auditor'], groups: [], kind: 'user' },
  ];

  it.each(['all', 'groups'] as const)(
    'agrees with canSeeRecord, agents scoped to %s',
    async (agentScope) => {
      for (const caller of callers) {
        const condition = serviceRecordCondition(
          caller,
          { agentScope },
          { ...columns, recordType: 'row.record_type' },
        );
        const answers = await evaluate(
          condition,
          mixed.map((record) => ({
            record_type: record.type,
            requester: record.requester,
            assignment_group: record.assignmentGroup,
            assignee: record.assignee,
          })),
        );
        expect(answers).toEqual(
          mixed.map((record) => canSeeRecord(caller, record.type, record, { agentScope })),
        );
      }
    },
  );
});
