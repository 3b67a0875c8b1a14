import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from 'react-router';
import { useSession } from '../auth/session';
import { t } from '../strings';
import { MATCH_DEBOUNCE_MS, matchQuery } from './known-error-matching';
import { useOffers, useSelfHelpWorkarounds } from './problems-api';
import type { KnownError } from './types';

const m = t.problems.matching;

/** Known errors are read with `problem:read` (docs/authorization.md). */
export function useMayReadKnownErrors(): boolean {
  return useSession().can('problem:read');
}

function Workaround({ knownError }: { knownError: Pick<KnownError, 'workaround'> }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={6}>
      {knownError.workaround?.trim() ? knownError.workaround : m.noWorkaround}
    </Text>
  );
}

/**
 * On an incident's page: the known errors the problem service offers for it (shared CI,
 * category, similar text), each with its workaround and a link to it; and for those who
 * work problems, a way to open a problem from the incident.
 */
export function MatchingKnownErrorsCard({
  incidentId,
  number,
}: {
  incidentId: string;
  number: string;
}) {
  const session = useSession();
  const mayRead = session.can('problem:read');
  const offers = useOffers(incidentId, mayRead);
  if (!mayRead) return null;
  const items = offers.data?.items ?? [];
  return (
    <Card withBorder data-testid="matching-known-errors">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {m.title}
        </Title>
        {offers.isPending && offers.fetchStatus !== 'idle' && <Text c="dimmed">{m.notYet}</Text>}
        {offers.error && <Alert color="red">{offers.error.message}</Alert>}
        {offers.isSuccess && items.length === 0 && <Text c="dimmed">{m.none}</Text>}
        {items.map((offer) => (
          <Card key={offer.id} withBorder padding="sm">
            <Stack gap={4}>
              <Group gap="xs">
                <Anchor component={Link} to={`/known-errors/${offer.id}`} fw={500}>
                  {offer.number} · {offer.title}
                </Anchor>
                {offer.matchedBy.map((reason) => (
                  <Badge key={reason} variant="default" size="sm">
                    {m.matchedBy[reason] ?? reason}
                  </Badge>
                ))}
              </Group>
              <Text size="xs" c="dimmed">
                {m.workaround}
              </Text>
              <Workaround knownError={offer} />
            </Stack>
          </Card>
        ))}
        {session.can('problem:write') && (
          <Group>
            <Button
              component={Link}
              variant="default"
              size="xs"
              to={`/problems/new?fromIncident=${incidentId}&incident=${encodeURIComponent(number)}`}
            >
              {m.openProblem}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/**
 * On the new-incident page: as the title and description are typed (debounced), the
 * workarounds of known errors whose text matches, so the person may solve it at once. Anyone
 * who may raise an incident sees them (the self-help route); those who read known errors
 * can also open each. Shown only when there is something to show.
 */
export function KnownWorkarounds({ text }: { text: string }) {
  const session = useSession();
  const mayAsk = session.can('incident:create');
  const mayOpen = useMayReadKnownErrors();
  const [typed] = useDebouncedValue(text, MATCH_DEBOUNCE_MS);
  const q = matchQuery(typed);
  const found = useSelfHelpWorkarounds(q, mayAsk);
  const items = found.data?.items ?? [];
  if (!mayAsk) return null;
  return (
    // A live region: what appears while typing is announced without moving the focus.
    <div aria-live="polite">
      {q !== undefined && items.length > 0 && (
        <Card withBorder data-testid="known-workarounds" bg="var(--mantine-color-blue-light)">
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t.problems.workarounds.title}
            </Title>
            <Text size="sm">{t.problems.workarounds.intro}</Text>
            {items.map((knownError) => (
              <Stack key={knownError.id} gap={2}>
                {mayOpen ? (
                  <Anchor
                    component={Link}
                    to={`/known-errors/${knownError.id}`}
                    target="_blank"
                    fw={500}
                  >
                    {knownError.title}
                  </Anchor>
                ) : (
                  <Text fw={500}>{knownError.title}</Text>
                )}
                <Workaround knownError={knownError} />
              </Stack>
            ))}
          </Stack>
        </Card>
      )}
    </div>
  );
}
