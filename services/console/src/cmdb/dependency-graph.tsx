import {
  Alert,
  Anchor,
  Box,
  Button,
  Card,
  Group,
  List,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
  useComputedColorScheme,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import cytoscape from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiGet, queryString } from '../api/client';
import { t } from '../strings';
import { loadNeighbourhood, type GraphData } from './graph-data';
import type { ConfigurationItem, ImpactDirection, ImpactResult } from './types';
import { Loading } from '../layout/loading';

const g = t.cmdb.graph;

/**
 * Shapes as well as colours, so the legend does not rest on colour alone. A round diamond,
 * not `diamond`: Cytoscape.js 3.35 misses a click on a plain diamond's vertical centre line
 * (its point-in-polygon test counts the top and bottom corners twice).
 */
const LOOK = {
  focus: { color: '#3b5bdb', shape: 'round-rectangle' },
  impacted: { color: '#d9480f', shape: 'round-diamond' },
  other: { color: '#868e96', shape: 'ellipse' },
} as const;

type Look = keyof typeof LOOK;

function Swatch({ look }: { look: Look }) {
  const { color, shape } = LOOK[look];
  return (
    <Box
      aria-hidden="true"
      w={14}
      h={14}
      bg={color}
      style={{
        borderRadius: shape === 'ellipse' ? '50%' : 3,
        transform: shape === 'round-diamond' ? 'rotate(45deg) scale(0.85)' : undefined,
      }}
    />
  );
}

function Legend() {
  return (
    <Box component="section" aria-label={g.legend}>
      <Group gap="lg">
        {(['focus', 'impacted', 'other'] as const).map((look) => (
          <Group key={look} gap={6}>
            <Swatch look={look} />
            <Text size="sm">
              {look === 'focus'
                ? g.legendFocus
                : look === 'impacted'
                  ? g.legendImpacted
                  : g.legendOther}
            </Text>
          </Group>
        ))}
        <Group gap={6}>
          <Text size="sm" aria-hidden="true">
            →
          </Text>
          <Text size="sm">{g.legendEdge}</Text>
        </Group>
      </Group>
    </Box>
  );
}

/** The canvas: Cytoscape.js, laid out breadth-first from the focus CI; a click opens a CI. */
function GraphCanvas({
  data,
  focus,
  impacted,
  label,
}: {
  data: GraphData;
  focus: string;
  impacted: ReadonlyMap<string, number>;
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const scheme = useComputedColorScheme('light');
  useEffect(() => {
    if (!container.current) return undefined;
    const text = scheme === 'dark' ? '#e9ecef' : '#212529';
    const background = scheme === 'dark' ? '#242424' : '#ffffff';
    const lookOf = (id: string): Look =>
      id === focus ? 'focus' : impacted.has(id) ? 'impacted' : 'other';
    const cy = cytoscape({
      container: container.current,
      elements: [
        ...data.nodes.map((node) => ({
          data: { id: node.id, label: node.ci?.name ?? node.id.slice(0, 8) },
          classes: lookOf(node.id),
        })),
        ...data.edges.map((edge) => ({
          data: { id: edge.id, source: edge.sourceId, target: edge.targetId, label: edge.type },
        })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            color: text,
            'font-size': 11,
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'text-background-color': background,
            'text-background-opacity': 0.8,
            width: 26,
            height: 26,
          },
        },
        ...(Object.keys(LOOK) as Look[]).map((look) => ({
          selector: `node.${look}`,
          style: { 'background-color': LOOK[look].color, shape: LOOK[look].shape },
        })),
        { selector: 'node.focus', style: { width: 34, height: 34 } },
        {
          selector: 'edge',
          style: {
            label: 'data(label)',
            color: text,
            'font-size': 9,
            width: 1.5,
            'line-color': '#adb5bd',
            'target-arrow-color': '#adb5bd',
            'target-arrow-shape': 'triangle',
            'curve-style': 'bezier',
            'text-rotation': 'autorotate',
            'text-background-color': background,
            'text-background-opacity': 1,
          },
        },
      ],
      layout: { name: 'breadthfirst', roots: [focus], directed: false, spacingFactor: 1.2 },
      maxZoom: 2.5,
    });
    cy.on('tap', 'node', (event) => {
      const id = (event.target as cytoscape.NodeSingular).id();
      if (id !== focus) void navigate(`/cmdb/cis/${id}`);
    });
    const element = container.current;
    cy.on('mouseover', 'node', () => (element.style.cursor = 'pointer'));
    cy.on('mouseout', 'node', () => (element.style.cursor = ''));
    // Cytoscape.js caches where its container is and forgets it only on scroll and resize;
    // cards loading above the graph move it too, and a click would then miss its node.
    const forgetPosition = () => cy.resize();
    element.addEventListener('mouseenter', forgetPosition);
    return () => {
      element.removeEventListener('mouseenter', forgetPosition);
      cy.destroy();
    };
  }, [data, focus, impacted, scheme, navigate]);
  return (
    <Box
      ref={container}
      role="img"
      aria-label={label}
      data-testid="ci-graph"
      h={420}
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
    />
  );
}

function CiLink({ id, ci }: { id: string; ci: ConfigurationItem | undefined }) {
  return (
    <Anchor component={Link} to={`/cmdb/cis/${id}`}>
      {ci?.name ?? id}
    </Anchor>
  );
}

/**
 * The CI's neighbourhood (N steps, and any CI's neighbours on demand) drawn with
 * Cytoscape.js, with its impact (`GET /api/v1/cis/{id}/impact`) highlighted; the same
 * nodes, edges and impact as tables for keyboard and screen-reader users.
 */
export function DependencyGraph({ ci, asOf }: { ci: ConfigurationItem; asOf: string | undefined }) {
  const [hops, setHops] = useState('1');
  const [expand, setExpand] = useState<string[]>([]);
  const [direction, setDirection] = useState<ImpactDirection | 'off'>('upstream');
  const [depth, setDepth] = useState('3');
  const graph = useQuery({
    queryKey: ['cmdb-graph', ci.id, hops, expand, asOf],
    queryFn: () => loadNeighbourhood(ci.id, Number(hops), expand, asOf),
    placeholderData: keepPreviousData,
  });
  const impact = useQuery({
    queryKey: ['cmdb-impact', ci.id, direction, depth],
    queryFn: () =>
      apiGet<ImpactResult>(
        `/cis/${ci.id}/impact${queryString({ direction, depth, limit: '200' })}`,
      ),
    enabled: direction !== 'off',
  });
  // One map per answer, so the canvas is redrawn only when the impact itself changes.
  const impacted = useMemo(
    () =>
      new Map(
        direction === 'off'
          ? []
          : (impact.data?.items ?? []).map((item) => [item.ciId, item.distance]),
      ),
    [direction, impact.data],
  );

  const data = graph.data;
  const byId = new Map((data?.nodes ?? []).map((node) => [node.id, node.ci]));
  return (
    <Card withBorder data-testid="ci-graph-card">
      <Stack>
        <Title order={2} size="h4">
          {g.title}
        </Title>
        <Group align="end">
          <Select
            label={g.hops}
            value={hops}
            allowDeselect={false}
            onChange={(value) => setHops(value ?? '1')}
            data={['1', '2', '3']}
            w={120}
          />
          <div>
            <Text size="sm" fw={500} id="impact-direction-label">
              {g.impact}
            </Text>
            <SegmentedControl
              aria-labelledby="impact-direction-label"
              value={direction}
              onChange={(value) => setDirection(value)}
              data={[
                { value: 'upstream', label: g.upstream },
                { value: 'downstream', label: g.downstream },
                { value: 'off', label: g.impactOff },
              ]}
            />
          </div>
          <Select
            label={g.impactDepth}
            value={depth}
            allowDeselect={false}
            disabled={direction === 'off'}
            onChange={(value) => setDepth(value ?? '3')}
            data={['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']}
            w={120}
          />
        </Group>
        <Legend />
        <Text size="sm" c="dimmed">
          {g.hint}
        </Text>
        {graph.error && <Alert color="red">{graph.error.message}</Alert>}
        {impact.error && <Alert color="red">{impact.error.message}</Alert>}
        {!data ? (
          <Loading label={g.loading} />
        ) : (
          <GraphCanvas
            data={data}
            focus={ci.id}
            impacted={impacted}
            label={g.label(ci.name, data.nodes.length, data.edges.length)}
          />
        )}
        {data?.truncated && <Alert color="yellow">{g.truncated}</Alert>}
        {data && (
          <Box component="section" aria-labelledby="graph-text-alternative">
            <Title order={3} size="h5" id="graph-text-alternative" mb="xs">
              {g.textAlternative}
            </Title>
            <Table striped data-testid="graph-edges">
              <Table.Caption>{g.edgesCaption(data.edges.length)}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{g.edgeColumns.source}</Table.Th>
                  <Table.Th>{g.edgeColumns.type}</Table.Th>
                  <Table.Th>{g.edgeColumns.target}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.edges.map((edge) => (
                  <Table.Tr key={edge.id}>
                    <Table.Td>
                      <CiLink id={edge.sourceId} ci={byId.get(edge.sourceId)} />
                    </Table.Td>
                    <Table.Td>{edge.type}</Table.Td>
                    <Table.Td>
                      <CiLink id={edge.targetId} ci={byId.get(edge.targetId)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Table striped data-testid="graph-nodes" mt="md">
              <Table.Caption>{g.nodesCaption(data.nodes.length)}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  {Object.values(g.nodeColumns).map((label) => (
                    <Table.Th key={label}>{label}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.nodes.map((node) => {
                  const distance = impacted.get(node.id);
                  return (
                    <Table.Tr key={node.id}>
                      <Table.Td>
                        <CiLink id={node.id} ci={node.ci} />
                      </Table.Td>
                      <Table.Td>{node.ci?.class ?? ''}</Table.Td>
                      <Table.Td>{node.distance}</Table.Td>
                      <Table.Td>
                        {distance === undefined ? g.notAffected : g.affected(distance)}
                      </Table.Td>
                      <Table.Td>
                        {node.expanded ? (
                          g.expanded
                        ) : (
                          <Button
                            size="compact-sm"
                            variant="default"
                            onClick={() => setExpand([...expand, node.id])}
                          >
                            {g.expand(node.ci?.name ?? node.id)}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Box>
        )}
        {direction !== 'off' && impact.data && (
          <Box component="section" aria-labelledby="impact-summary" data-testid="impact">
            <Title order={3} size="h5" id="impact-summary" mb="xs">
              {g.impact}: {direction === 'upstream' ? g.upstream : g.downstream}
            </Title>
            <Text size="sm">
              {g.impactSummary(
                impact.data.reachedCount,
                impact.data.withheldCount,
                impact.data.businessServices.length,
              )}
            </Text>
            {impact.data.truncated && <Text size="sm">{g.truncated}</Text>}
            {impact.data.items.length > 0 && (
              <Table striped mt="xs">
                <Table.Caption>{g.impactCaption(impact.data.items.length)}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{g.nodeColumns.name}</Table.Th>
                    <Table.Th>{g.nodeColumns.class}</Table.Th>
                    <Table.Th>{g.nodeColumns.steps}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {impact.data.items.map((item) => (
                    <Table.Tr key={item.ciId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/cmdb/cis/${item.ciId}`}>
                          {item.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{item.class}</Table.Td>
                      <Table.Td>{item.distance}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {impact.data.businessServices.length > 0 && (
              <>
                <Text size="sm" fw={500} mt="xs">
                  {g.businessServices}
                </Text>
                <List size="sm">
                  {impact.data.businessServices.map((service) => (
                    <List.Item key={service.ciId}>
                      <Anchor component={Link} to={`/cmdb/cis/${service.ciId}`}>
                        {service.name}
                      </Anchor>{' '}
                      ({g.affected(service.distance)})
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Box>
        )}
      </Stack>
    </Card>
  );
}
