import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  List,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import { conflictsQuery } from './changes-api';
import { CONFLICT_ORDER } from './conflicts';
import { RiskBadge, when, windowText } from './shared';
import type { CabAgenda, CabMeeting, Change } from './types';

const s = t.changes.cab;

/**
 * The CAB agenda (`GET /api/v1/cab-meetings/{id}/agenda`): the meeting in progress or the
 * next one of the chosen CAB, its items in the order to take them with each change's
 * risk, planned window and conflicts, and the minutes so far.
 */
export function CabPage() {
  const [params, setParams] = useSearchParams();
  const meetings = useQuery({
    queryKey: ['cab-meetings'],
    queryFn: () =>
      apiGet<Page<CabMeeting>>(`/cab-meetings${queryString({ active: 'true', limit: '100' })}`),
  });
  const list = meetings.data?.items ?? [];
  const chosen = list.find((meeting) => meeting.id === params.get('meeting')) ?? list[0];
  const agenda = useQuery({
    queryKey: ['cab-agenda', chosen?.id],
    queryFn: () => apiGet<CabAgenda>(`/cab-meetings/${chosen?.id}/agenda`),
    enabled: chosen !== undefined,
  });
  const items = agenda.data?.items ?? [];
  const changes = useQueries({
    queries: items.map((item) => ({
      queryKey: ['change', item.changeId],
      queryFn: () => apiGet<Change>(`/changes/${item.changeId}`),
    })),
  });
  const conflicts = useQueries({ queries: items.map((item) => conflictsQuery(item.changeId)) });

  return (
    <Stack>
      <Title order={1} size="h2">
        {s.title}
      </Title>
      {meetings.error && <Alert color="red">{meetings.error.message}</Alert>}
      {meetings.isPending && <Loading />}
      {meetings.data && list.length === 0 && <Text>{s.noMeetings}</Text>}
      {list.length > 0 && (
        <Select
          label={s.meeting}
          value={chosen?.id ?? null}
          onChange={(value) => setParams(value ? { meeting: value } : {}, { replace: true })}
          data={list.map((meeting) => ({ value: meeting.id, label: meeting.name }))}
          allowDeselect={false}
          w={320}
        />
      )}
      {agenda.error && <Alert color="red">{agenda.error.message}</Alert>}
      {agenda.data && (
        <Card withBorder data-testid="cab-agenda">
          <Title order={2} size="h3">
            {agenda.data.meeting.name}
          </Title>
          <Text>
            {s.when(
              when(agenda.data.start),
              when(agenda.data.end),
              agenda.data.meeting.approverGroup,
            )}
          </Text>
          <Text size="sm" c="dimmed" mb="sm">
            {s.agendaUntil(when(agenda.data.agendaUntil))}
          </Text>
          {items.length === 0 ? (
            <Text>{s.empty}</Text>
          ) : (
            <Table striped>
              <Table.Caption>{s.caption(items.length)}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  {Object.values(s.columns).map((label) => (
                    <Table.Th key={label}>{label}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item, index) => {
                  const change = changes[index]?.data;
                  const report = conflicts[index]?.data;
                  const found = [...(report?.conflicts ?? [])].sort(
                    (a, b) => CONFLICT_ORDER.indexOf(a.kind) - CONFLICT_ORDER.indexOf(b.kind),
                  );
                  return (
                    <Table.Tr key={item.changeId} data-testid="cab-item">
                      <Table.Td>{item.position}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/changes/${item.changeId}`}>
                          {item.number}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{item.title}</Table.Td>
                      <Table.Td>{t.changes.models[item.model] ?? item.model}</Table.Td>
                      <Table.Td>
                        <RiskBadge risk={item.risk} />
                      </Table.Td>
                      <Table.Td>
                        {change
                          ? windowText(change.plannedStart, change.plannedEnd)
                          : windowText(item.plannedStart, item.plannedStart)}
                      </Table.Td>
                      <Table.Td>
                        {report &&
                          (found.length === 0 ? (
                            s.noConflicts
                          ) : (
                            <List size="xs">
                              {found.map((conflict, at) => (
                                <List.Item key={at}>
                                  <Badge variant="outline" color="red.9" size="xs" mr={4}>
                                    {t.changes.conflictKinds[conflict.kind] ?? conflict.kind}
                                  </Badge>
                                  {conflict.message}
                                </List.Item>
                              ))}
                            </List>
                          ))}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {item.overdue && (
                            <Badge color="red.9" variant="outline">
                              {s.overdue}
                            </Badge>
                          )}
                          {item.retrospective && <Badge variant="default">{s.retrospective}</Badge>}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          <Title order={3} size="h4" mt="md" mb="xs">
            {s.minutes}
          </Title>
          {agenda.data.decisions.length === 0 ? (
            <Text c="dimmed">{s.noMinutes}</Text>
          ) : (
            <List size="sm">
              {agenda.data.decisions.map((decision) => (
                <List.Item key={`${decision.changeId}-${decision.recordedAt}`}>
                  {s.minute(
                    decision.number,
                    t.changes.change.decisionVerbs[decision.decision] ?? decision.decision,
                    decision.recordedBy,
                    when(decision.recordedAt),
                  )}
                  {decision.comment ? `: ${decision.comment}` : ''}
                </List.Item>
              ))}
            </List>
          )}
        </Card>
      )}
    </Stack>
  );
}
