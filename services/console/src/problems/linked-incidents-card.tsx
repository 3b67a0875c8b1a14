import { Alert, Anchor, Button, Card, Group, MultiSelect, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { apiGet, apiRequest, queryString } from '../api/client';
import type { Page, ServiceRecord } from '../api/types';
import { t } from '../strings';
import { when } from './parts';
import { useLinkedIncidents, useProblemRefresh } from './problems-api';
import type { LinkedIncident, ProblemRecord } from './types';

const p = t.problems.page;

/** Incidents whose title or description has the words typed, newest first, for the picker. */
function useIncidentSearch(words: string) {
  return useQuery({
    queryKey: ['incidents', { q: words, picker: true }],
    queryFn: () =>
      apiGet<Page<ServiceRecord>>(
        `/incidents${queryString({ q: words, sort: '-openedAt', limit: '10' })}`,
      ),
    enabled: words.length > 1,
  });
}

/** Picks incidents by words of their title and links them to the problem in one request. */
function LinkIncidentsForm({
  problem,
  linked,
  onLinked,
}: {
  problem: ProblemRecord;
  linked: readonly LinkedIncident[];
  onLinked: () => Promise<void>;
}) {
  const [picked, setPicked] = useState<string[]>([]);
  const [search, setSearch] = useState('');
  const [words] = useDebouncedValue(search.trim(), 300);
  const found = useIncidentSearch(words);
  // What was picked stays listed while other words are searched.
  const [labels, setLabels] = useState<Record<string, string>>({});
  const already = new Set(linked.map((incident) => incident.id));
  const options = (found.data?.items ?? [])
    .filter((incident) => !already.has(incident.id))
    .map((incident) => ({ value: incident.id, label: `${incident.number} · ${incident.title}` }));
  const data = [
    ...picked
      .filter((id) => !options.some((option) => option.value === id))
      .map((id) => ({ value: id, label: labels[id] ?? id })),
    ...options,
  ];
  const link = useMutation({
    mutationFn: (incidentIds: string[]) =>
      apiRequest<{ linked: number; alreadyLinked: number }>(
        'POST',
        `/problems/${problem.id}/incidents`,
        { body: { incidentIds } },
      ),
    onSuccess: async () => {
      setPicked([]);
      setSearch('');
      await onLinked();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (picked.length > 0 && !link.isPending) link.mutate(picked);
  };
  return (
    <form onSubmit={submit}>
      <Group align="end" mt="sm">
        <MultiSelect
          label={p.linkIncidents}
          description={p.linkIncidentsSearch}
          searchable
          filter={({ options: all }) => all}
          searchValue={search}
          onSearchChange={setSearch}
          data={data}
          value={picked}
          onChange={(ids) => {
            setLabels((known) => ({
              ...known,
              ...Object.fromEntries(options.map((option) => [option.value, option.label])),
            }));
            setPicked(ids);
          }}
          nothingFoundMessage={words.length > 1 && found.isSuccess ? p.noIncidentFound : undefined}
          w={420}
        />
        <Button
          type="submit"
          variant="default"
          disabled={picked.length === 0}
          loading={link.isPending}
        >
          {p.link}
        </Button>
      </Group>
      {link.error && (
        <Alert color="red" mt="sm">
          {link.error.message}
        </Alert>
      )}
    </form>
  );
}

/** The incidents linked to the problem; those who work problems link more and unlink them. */
export function LinkedIncidentsCard({
  problem,
  mayWrite,
}: {
  problem: ProblemRecord;
  mayWrite: boolean;
}) {
  const incidents = useLinkedIncidents(problem.id, problem.version);
  const items = incidents.data?.items ?? [];
  const refresh = useProblemRefresh(problem.id);
  const unlink = useMutation({
    mutationFn: (incident: LinkedIncident) =>
      apiRequest<void>('DELETE', `/problems/${problem.id}/incidents/${incident.id}`),
    onSuccess: refresh,
  });
  const c = p.incidentColumns;
  return (
    <Card withBorder data-testid="problem-incidents">
      <Title order={2} size="h4" mb="sm">
        {p.incidents}
      </Title>
      {incidents.error && <Alert color="red">{incidents.error.message}</Alert>}
      {unlink.error && <Alert color="red">{unlink.error.message}</Alert>}
      {incidents.isSuccess && items.length === 0 ? (
        <Text c="dimmed">{p.noIncidents}</Text>
      ) : (
        <Table>
          <Table.Caption>{p.incidentsCaption(items.length)}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{c.number}</Table.Th>
              <Table.Th>{c.title}</Table.Th>
              <Table.Th>{c.state}</Table.Th>
              <Table.Th>{c.linked}</Table.Th>
              {mayWrite && <Table.Th>{c.unlink}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((incident) => (
              <Table.Tr key={incident.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/incidents/${incident.id}`}>
                    {incident.number}
                  </Anchor>
                </Table.Td>
                <Table.Td>{incident.title}</Table.Td>
                <Table.Td>{t.states[incident.state] ?? incident.state}</Table.Td>
                <Table.Td>
                  {incident.linkedBy} · {when(incident.linkedAt)}
                </Table.Td>
                {mayWrite && (
                  <Table.Td>
                    <Button
                      variant="subtle"
                      size="xs"
                      aria-label={p.unlinkIncident(incident.number)}
                      loading={unlink.isPending && unlink.variables.id === incident.id}
                      onClick={() => unlink.mutate(incident)}
                    >
                      {p.unlink}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {mayWrite && <LinkIncidentsForm problem={problem} linked={items} onLinked={refresh} />}
    </Card>
  );
}
