import { Alert, Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import { useSession } from '../auth/session';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import { approverName, DecisionDialog } from './decision-dialog';
import { RiskBadge, windowText } from './shared';
import type { AwaitingDecision } from './types';

const s = t.changes.inbox;
const PAGE = 100;

/**
 * The changes whose open round awaits the user's decision, in one request: the service
 * finds them (`GET /api/v1/changes/awaiting-my-decision`), each with the approvers the user
 * may decide for.
 */
async function readInbox(): Promise<{ waiting: AwaitingDecision[]; limited: boolean }> {
  const page = await apiGet<Page<AwaitingDecision>>(
    `/changes/awaiting-my-decision${queryString({ limit: String(PAGE) })}`,
  );
  return { waiting: page.items, limited: page.nextCursor !== null };
}

/** The approvals inbox: changes awaiting the user's (or their group's or role's) decision. */
export function ApprovalsPage() {
  const session = useSession();
  const me = session.me;
  const inbox = useQuery({
    queryKey: ['change-inbox', me?.username],
    queryFn: readInbox,
    enabled: me !== undefined,
  });
  const [deciding, setDeciding] = useState<{
    entry: AwaitingDecision;
    decision: 'approve' | 'reject';
  }>();
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
              const { change, round } = entry;
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
                    <Text size="sm">{entry.canDecideFor.map(approverName).join(', ')}</Text>
                    {round.missing && (
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
          approvers={deciding.entry.canDecideFor}
          onClose={() => setDeciding(undefined)}
        />
      )}
    </Stack>
  );
}
