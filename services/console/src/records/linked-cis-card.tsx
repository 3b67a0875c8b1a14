import { Anchor, Badge, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { apiRequest } from '../api/client';
import type { ServiceRecord } from '../api/types';
import { useCis } from '../cmdb/cmdb-api';
import { t } from '../strings';

/** One CI the impact walk reached (`POST /api/v1/cis/impact`, docs/cmdb.md). */
interface ImpactedCi {
  ciId: string;
  class: string;
  name: string;
  status: string;
  criticality: number | null;
  distance: number;
}

interface ImpactAnalysis {
  reachedCount: number;
  withheldCount: number;
  truncated: boolean;
  businessServices: ImpactedCi[];
}

/** How far up the dependency graph the card looks for what the record's CIs affect. */
const IMPACT_DEPTH = 5;

/**
 * The CIs a record names, and what depends on them: how many CIs the impact walk reached
 * upstream and every business service among them, most critical first (the CMDB's impact
 * analysis through the gateway, so restricted CIs stay counted but unnamed).
 */
export function LinkedCisCard({ record }: { record: ServiceRecord }) {
  const words = t.record.linkedCis;
  const cis = useCis(record.ciIds);
  const sorted = [...record.ciIds].sort();
  const impact = useQuery({
    queryKey: ['cis', 'impact', sorted],
    queryFn: async () =>
      (
        await apiRequest<ImpactAnalysis>('POST', '/cis/impact', {
          body: { ciIds: sorted, direction: 'upstream', depth: IMPACT_DEPTH, limit: 1 },
        })
      ).body,
  });
  const analysis = impact.data;
  return (
    <Card withBorder data-testid="linked-cis">
      <Title order={2} size="h4" mb="sm">
        {words.title}
      </Title>
      <Stack gap="sm">
        <List>
          {record.ciIds.map((id) => {
            const ci = cis.data?.get(id);
            return (
              <List.Item key={id}>
                <Anchor component={Link} to={`/cmdb/cis/${id}`}>
                  {ci?.name ?? id}
                </Anchor>{' '}
                {ci && (
                  <Text span size="sm" c="dimmed">
                    {ci.class} · {ci.status}
                  </Text>
                )}
              </List.Item>
            );
          })}
        </List>
        {impact.error && <Text c="red.9">{impact.error.message}</Text>}
        {analysis && (
          <>
            <Text size="sm" data-testid="impact-summary">
              {words.reached(analysis.reachedCount, IMPACT_DEPTH, analysis.truncated)}
            </Text>
            {analysis.businessServices.length === 0 ? (
              <Text size="sm" c="dimmed">
                {words.noService}
              </Text>
            ) : (
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {words.services}
                </Text>
                {analysis.businessServices.map((service) => (
                  <Group key={service.ciId} gap="xs" data-testid="impacted-service">
                    <Anchor component={Link} to={`/cmdb/cis/${service.ciId}`} size="sm">
                      {service.name}
                    </Anchor>
                    {service.criticality !== null && (
                      <Badge variant="default" size="sm">
                        {words.criticality(service.criticality)}
                      </Badge>
                    )}
                    <Text span size="xs" c="dimmed">
                      {words.steps(service.distance)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
