import { Alert, Anchor, Badge, Card, Grid, Group, SimpleGrid, Stack, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { Loading } from '../layout/loading';
import { t } from '../strings';
import { Field, HistoryCard, TextBlock, when } from './parts';
import { isValid } from './problem-forms';
import { useKnownError, useKnownErrorHistory, useProblem } from './problems-api';

const k = t.problems.knownError;

/** The problem a known error came from, by number when the user may see it. */
function ProblemLink({ problemId }: { problemId: string }) {
  const problem = useProblem(problemId);
  return (
    <Anchor component={Link} to={`/problems/${problemId}`} data-testid="known-error-problem">
      {problem.data ? `${problem.data.number} · ${problem.data.title}` : problemId}
    </Anchor>
  );
}

/** `/known-errors/:id`: symptom, workaround, root cause, solution, status, its problem, history. */
export function KnownErrorPage() {
  const { id = '' } = useParams();
  const knownError = useKnownError(id);
  const history = useKnownErrorHistory(id, knownError.data?.revision);
  if (knownError.isPending) return <Loading />;
  if (knownError.error) {
    return (
      <Alert color="red">
        {knownError.error instanceof ApiError && knownError.error.status === 404
          ? k.notFound
          : knownError.error.message}
      </Alert>
    );
  }
  const current = knownError.data;
  const valid = isValid(current.validUntil, Date.now());
  return (
    <Stack>
      <Anchor component={Link} to="/known-errors" size="sm">
        {k.back}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {current.number} · {current.title}
        </Title>
        <Badge
          color={valid ? 'teal.9' : 'gray.7'}
          variant="filled"
          data-testid="known-error-status"
        >
          {!valid && current.validUntil
            ? k.expired(when(current.validUntil))
            : current.validUntil
              ? k.validUntil(when(current.validUntil))
              : k.valid}
        </Badge>
      </Group>
      <Card withBorder>
        <Stack>
          <TextBlock label={k.symptom} value={current.symptom} />
          <TextBlock
            label={k.workaround}
            value={current.workaround}
            testId="known-error-workaround"
          />
          <TextBlock label={k.rootCause} value={current.rootCause} />
          <TextBlock label={k.solution} value={current.solution} />
        </Stack>
      </Card>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {k.details}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Field
                label={k.problem}
                value={
                  current.problemId ? <ProblemLink problemId={current.problemId} /> : k.noProblem
                }
              />
              <Field label={k.errorCode} value={current.errorCode} />
              <Field label={k.category} value={current.category} />
              <Field label={k.ciClass} value={current.ciClass} />
              <Field label={k.vendor} value={current.vendor} />
              <Field label={k.model} value={current.model} />
              <Field label={k.version} value={current.version} />
              <Field label={k.createdBy} value={current.createdBy} />
              <Field label={k.createdAt} value={when(current.createdAt)} />
              <Field label={k.updatedAt} value={when(current.updatedAt)} />
            </SimpleGrid>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <HistoryCard entries={history.data?.items} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
