import { Anchor, Card, List, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { apiGet, queryString } from '../api/client';
import type { Page, ServiceRecord } from '../api/types';
import { t } from '../strings';
import { recordPath, type RecordKind } from './record-kinds';

/** The most children listed; a parent with more says how to find the rest. */
const CHILDREN_SHOWN = 50;

function RecordLine({ kind, record }: { kind: RecordKind; record: ServiceRecord }) {
  return (
    <>
      <Anchor component={Link} to={recordPath(kind, record.id)}>
        {record.number}
      </Anchor>{' '}
      {record.title}{' '}
      <Text span size="sm" c="dimmed">
        {record.priority} · {t.states[record.state] ?? record.state}
      </Text>
    </>
  );
}

/**
 * A record's parent and children (`parentId`, docs/incidents.md): a major incident's
 * children are the incidents it groups, read with `GET /api/v1/incidents?parentId=`.
 */
export function RelatedRecordsCard({ kind, record }: { kind: RecordKind; record: ServiceRecord }) {
  const words = t.record.related;
  const parent = useQuery({
    queryKey: [kind.type, record.parentId],
    queryFn: () => apiGet<ServiceRecord>(`/${kind.collection}/${record.parentId}`),
    enabled: record.parentId !== null,
  });
  const children = useQuery({
    queryKey: [kind.collection, { parentId: record.id }],
    queryFn: () =>
      apiGet<Page<ServiceRecord>>(
        `/${kind.collection}${queryString({
          parentId: record.id,
          sort: 'priority',
          limit: String(CHILDREN_SHOWN),
        })}`,
      ),
  });
  const items = children.data?.items ?? [];
  return (
    <Card withBorder data-testid="related-records">
      <Title order={2} size="h4" mb="sm">
        {words.title}
      </Title>
      <Stack gap="sm">
        <div>
          <Text size="sm" fw={500}>
            {words.parent}
          </Text>
          {record.parentId === null ? (
            <Text size="sm" c="dimmed">
              {words.noParent}
            </Text>
          ) : parent.data ? (
            <RecordLine kind={kind} record={parent.data} />
          ) : (
            <Text size="sm" c="dimmed">
              {parent.error ? words.parentHidden : '…'}
            </Text>
          )}
        </div>
        <div>
          <Text size="sm" fw={500}>
            {words.children(items.length, children.data?.nextCursor !== null)}
          </Text>
          {children.error && <Text c="red.9">{children.error.message}</Text>}
          {children.data && items.length === 0 && (
            <Text size="sm" c="dimmed">
              {words.noChildren}
            </Text>
          )}
          <List>
            {items.map((child) => (
              <List.Item key={child.id} data-testid="child-record">
                <RecordLine kind={kind} record={child} />
              </List.Item>
            ))}
          </List>
        </div>
      </Stack>
    </Card>
  );
}
