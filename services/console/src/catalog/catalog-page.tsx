import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../auth/session';
import { t } from '../strings';
import { byCategory } from './catalog';
import { useCatalog } from './catalog-api';

const c = t.catalog;

/** The requester's portal: the active items of the catalogue by category, searchable; each opens a new request. */
export function CatalogPage() {
  const session = useSession();
  const [typed, setTyped] = useState('');
  const [q] = useDebouncedValue(typed, 300);
  const list = useCatalog({ q, active: 'true' });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const searching = q.trim() !== '';
  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {c.title}
      </Title>
      <Text>{c.intro}</Text>
      <TextInput
        label={c.search}
        description={c.searchHint}
        type="search"
        maw={420}
        value={typed}
        onChange={(event) => setTyped(event.currentTarget.value)}
      />
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      {!list.isPending && items.length === 0 && (
        <Alert color="gray" data-testid="catalog-empty">
          {searching ? (
            c.noMatch
          ) : (
            <Stack gap={4}>
              <Text fw={500}>{c.empty}</Text>
              {session.can('catalog:manage') ? (
                <Anchor component={Link} to="/catalog/manage">
                  {c.emptyForManagers}
                </Anchor>
              ) : (
                <Text>{c.emptyForRequesters}</Text>
              )}
            </Stack>
          )}
        </Alert>
      )}
      {byCategory(items).map((group) => (
        <Stack key={group.category} gap="xs" component="section" aria-label={group.category}>
          <Title order={2} size="h3">
            {group.category}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {group.items.map((item) => (
              <Card key={item.key} withBorder component="article" aria-label={item.name}>
                <Stack gap="xs" h="100%" justify="space-between">
                  <Stack gap={4}>
                    <Title order={3} size="h4">
                      {item.name}
                    </Title>
                    <Text size="sm">{item.description}</Text>
                  </Stack>
                  <Group>
                    <Button
                      component={Link}
                      to={`/requests/new?catalogItem=${encodeURIComponent(item.key)}`}
                      aria-label={c.request(item.name)}
                    >
                      {c.requestShort}
                    </Button>
                  </Group>
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
        </Stack>
      ))}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {c.loadMore}
        </Button>
      )}
      <Anchor component={Link} to="/requests/new">
        {c.freeRequest}
      </Anchor>
    </Stack>
  );
}
