import { Alert, Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import { useSession } from '../auth/session';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import { openApproversFor, type Approver } from './approvals';
import { approverName, DecisionDialog } from './decision-dialog';
import { RiskBadge, windowText } from './shared';
import type { ApproverRef, Change, ChangeApprovals } from './types';

const s = t.changes.inbox;
const PAGE = 100;

interface Waiting {
  change: Change;
  approvals: ChangeApprovals;
  approvers: ApproverRef[];
}

/**
 * The changes that may take a decision now and ask for one (`approval: requested`): in
 * `authorize`, and emergency changes that went ahead (`scheduled` to `review`, after the
 * fact); each one's rounds read to keep those whose open round waits on the user.
 */
async function readInbox(me: Approver): Promise<{ waiting: Waiting[]; limited: boolean }> {
  const [authorize, emergency] = await Promise.all([
    apiGet<Page<Change>>(
      `/changes${queryString({ state: 'authorize', sort: 'plannedStart', limit: String(PAGE) })}`,
    ),
    apiGet<Page<Change>>(
      `/changes${queryString({ state: 'scheduled,implement,review', model: 'emergency', sort: 'plannedStart', limit: String(PAGE) })}`,
    ),
  ]);
  const candidates = [...authorize.items, ...emergency.items].filter(
    (change) => change.approval === 'requested',
  );
  const read = await Promise.all(
    candidates.map(async (change) => {
      const approvals = await apiGet<ChangeApprovals>(`/changes/${change.id}/approvals`);
      return { change, approvals, approvers: openApproversFor(me, change, approvals) };
    }),
  );
  return {
    waiting: read.filter((entry) => entry.approvers.length > 0),
    limited: authorize.nextCursor !== null || emergency.nextCursor !== null,
  };
}

/** The approvals inbox: changes awaiting the user's (or their group's or role's) decision. */
export function ApprovalsPage() {
  const session = useSession();
  const me = session.me;
  const inbox = useQuery({
    queryKey: ['change-inbox', me?.username],
    queryFn: () => readInbox(me as Approver),
    enabled: me !== undefined,
  });
  const [deciding, setDeciding] = useState<{ entry: Waiting; decision: 'approve' | 'reject' }>();
  const waiting = inbox.data?.waiting ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        {s.title}
      </Title>
      <Text>{s.intro}</Text>
      {inbox.error && <Alert color="red">{inbox.error.message}</Alert>}
      {inbox.isPending && <Loading />}
      {inbox.data?.limited && <Text size="sm">{s.limited}</Text>}
      {inbox.data && waiting.length === 0 && <Text>{s.empty}</Text>}
      {waiting.length > 0 && (
        <Table striped aria-busy={inbox.isFetching} data-testid="approvals-inbox">
          <Table.Caption>{s.caption(waiting.length)}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {Object.values(s.columns).map((label) => (
                <Table.Th key={label}>{label}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {waiting.map((entry) => {
              const { change, approvals } = entry;
              const round = approvals.rounds[approvals.rounds.length - 1];
              return (
                <Table.Tr key={change.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/changes/${change.id}`}>
                      {change.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{change.title}</Table.Td>
                  <Table.Td>{t.changes.models[change.model] ?? change.model}</Table.Td>
                  <Table.Td>
                    <RiskBadge risk={change.risk} />
                  </Table.Td>
                  <Table.Td>{windowText(change.plannedStart, change.plannedEnd)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.approvers.map(approverName).join(', ')}</Text>
                    {round?.missing && (
                      <Text size="xs" c="dimmed">
                        {round.missing}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        aria-label={t.changes.decide.approveLabel(change.number)}
                        onClick={() => setDeciding({ entry, decision: 'approve' })}
                      >
                        {t.changes.decide.approve}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={t.changes.decide.rejectLabel(change.number)}
                        onClick={() => setDeciding({ entry, decision: 'reject' })}
                      >
                        {t.changes.decide.reject}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {deciding && (
        <DecisionDialog
          change={deciding.entry.change}
          decision={deciding.decision}
          approvers={deciding.entry.approvers}
          onClose={() => setDeciding(undefined)}
        />
      )}
    </Stack>
  );
}
