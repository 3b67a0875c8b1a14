import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  List,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, apiGet, apiRequest } from '../api/client';
import type { HistoryEntry, JournalEntry, Page } from '../api/types';
import { useSession } from '../auth/session';
import { useCis } from '../cmdb/cmdb-api';
import { Loading } from '../layout/loading';
import { UpdatedElsewhere } from '../live/updated-elsewhere';
import { t } from '../strings';
import { openApproversFor } from './approvals';
import { toDayParam } from './calendar';
import { changeActions, type ChangeAction, type StepField } from './change-actions';
import {
  useChange,
  useChangeApprovals,
  useChangeConflicts,
  useChangeTransitions,
} from './changes-api';
import { CONFLICT_ORDER } from './conflicts';
import { approverName, DecisionDialog } from './decision-dialog';
import {
  Field,
  fromLocalInput,
  LongField,
  RiskBadge,
  show,
  StateBadge,
  toLocalInput,
  when,
} from './shared';
import { CLOSE_CODES, type ApprovalRound, type Change } from './types';

const c = t.changes.change;
const f = c.field;

const TEXT_FIELDS: readonly StepField[] = [
  'implementationPlan',
  'backoutPlan',
  'reason',
  'closeNotes',
  'reviewNotes',
];

const ON_CHANGE = [
  'assignmentGroup',
  'plannedStart',
  'plannedEnd',
  'implementationPlan',
  'backoutPlan',
  'closeCode',
  'closeNotes',
  'reviewNotes',
] as const satisfies readonly (StepField & keyof Change)[];
const isOnChange = (field: StepField): field is (typeof ON_CHANGE)[number] =>
  (ON_CHANGE as readonly string[]).includes(field);

function holds(change: Change, field: (typeof ON_CHANGE)[number], given: string): boolean {
  const held = change[field];
  if (held === null) return false;
  return field === 'plannedStart' || field === 'plannedEnd'
    ? Date.parse(held) === Date.parse(given)
    : held === given;
}

function MoveDialog({
  change,
  action,
  onClose,
}: {
  change: Change;
  action: ChangeAction;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const session = useSession();
  const fields = [...action.required, ...action.optional];
  const [values, setValues] = useState<Partial<Record<StepField, string>>>({
    assignmentGroup: change.assignmentGroup ?? session.me?.groups[0] ?? '',
    plannedStart: change.plannedStart ? toLocalInput(change.plannedStart) : '',
    plannedEnd: change.plannedEnd ? toLocalInput(change.plannedEnd) : '',
  });
  const move = useMutation({
    mutationFn: () => {
      const body: Record<string, string> = { to: action.to };
      for (const field of fields) {
        const value = values[field]?.trim();
        if (!value) continue;
        const given =
          field === 'plannedStart' || field === 'plannedEnd'
            ? (fromLocalInput(value) ?? value)
            : value;
        // What the change already holds is not sent again (a group resent would drop the assignee).
        if (isOnChange(field) && holds(change, field, given)) continue;
        body[field] = given;
      }
      return apiRequest<Change>('POST', `/changes/${change.id}/transitions`, {
        body,
        headers: { 'if-match': `"${change.version}"` },
      });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['change', change.id] });
      await queryClient.invalidateQueries({ queryKey: ['changes'] });
      onClose();
    },
    // 409 or 412: the change moved on meanwhile; read it again.
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412))
        void queryClient.invalidateQueries({ queryKey: ['change', change.id] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    move.mutate();
  };
  const set = (field: StepField) => (value: string | null) =>
    setValues((current) => ({ ...current, [field]: value ?? '' }));
  const label = t.changes.states[action.to] ?? action.to;
  return (
    <Modal
      opened
      onClose={onClose}
      title={c.moveTitle(label)}
      closeButtonProps={{ 'aria-label': c.cancel }}
    >
      <form onSubmit={submit}>
        <Stack>
          {move.error && <Alert color="red">{move.error.message}</Alert>}
          {fields.map((field) => {
            const required = action.required.includes(field);
            if (field === 'assignmentGroup')
              return (
                <TextInput
                  key={field}
                  label={f.assignmentGroup}
                  required={required}
                  value={values.assignmentGroup ?? ''}
                  onChange={(event) => set(field)(event.currentTarget.value)}
                />
              );
            if (field === 'plannedStart' || field === 'plannedEnd')
              return (
                <TextInput
                  key={field}
                  type="datetime-local"
                  label={f[field]}
                  required={required}
                  value={values[field] ?? ''}
                  onChange={(event) => set(field)(event.currentTarget.value)}
                />
              );
            if (field === 'closeCode')
              return (
                <Select
                  key={field}
                  label={f.closeCode}
                  required={required}
                  data={CLOSE_CODES.map((code) => ({
                    value: code,
                    label: t.changes.closeCodes[code] ?? code,
                  }))}
                  value={values.closeCode ?? null}
                  onChange={set(field)}
                />
              );
            return TEXT_FIELDS.includes(field) ? (
              <Textarea
                key={field}
                label={f[field as 'reason']}
                required={required}
                value={values[field] ?? ''}
                onChange={(event) => set(field)(event.currentTarget.value)}
                autosize
                minRows={2}
              />
            ) : null;
          })}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {c.cancel}
            </Button>
            <Button type="submit" loading={move.isPending}>
              {c.confirm}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ruleText(rule: ApprovalRound['rule']): string {
  switch (rule.kind) {
    case 'n_of_m':
      return c.rules.n_of_m(rule.n ?? 0);
    case 'percentage':
      return c.rules.percentage(rule.percent ?? 0);
    case 'all':
    case 'any':
    case 'not_required':
      return c.rules[rule.kind];
    default:
      return rule.kind;
  }
}

function ApprovalsCard({ change }: { change: Change }) {
  const approvals = useChangeApprovals(change.id, change.version);
  const rounds = [...(approvals.data?.rounds ?? [])].reverse();
  return (
    <Card withBorder data-testid="change-approvals">
      <Title order={2} size="h4" mb="sm">
        {c.approvalsTitle}
      </Title>
      <Text size="sm" mb="sm">
        {t.changes.approvals[change.approval] ?? change.approval}
      </Text>
      {approvals.error && <Alert color="red">{approvals.error.message}</Alert>}
      {approvals.data && rounds.length === 0 && <Text c="dimmed">{c.noRounds}</Text>}
      <Stack>
        {rounds.map((round) => (
          <div key={round.number}>
            <Group gap="xs">
              <Text fw={600}>{c.round(round.number, round.policy.name)}</Text>
              <Badge variant="default">{c.roundOutcomes[round.outcome] ?? round.outcome}</Badge>
            </Group>
            <Text size="sm">{c.ruleLine(ruleText(round.rule))}</Text>
            <Text size="sm">
              {c.approvers}: {round.approvers.map(approverName).join(', ') || '–'}
            </Text>
            {round.missing && <Text size="sm">{round.missing}</Text>}
            <List size="sm">
              {round.decisions.map((decision) => (
                <List.Item key={`${decision.approver}-${decision.at}`}>
                  {c.decision(
                    decision.approver,
                    c.decisionVerbs[decision.decision] ?? decision.decision,
                    approverName(decision.onBehalfOf),
                  )}
                  {decision.retrospective ? ` (${c.afterTheFact})` : ''} · {when(decision.at)}
                  {decision.comment ? `: ${decision.comment}` : ''}
                </List.Item>
              ))}
            </List>
          </div>
        ))}
      </Stack>
    </Card>
  );
}

function ScheduleCard({ change }: { change: Change }) {
  const open = change.state !== 'closed' && change.state !== 'cancelled';
  const conflicts = useChangeConflicts(change.id, open && change.plannedStart !== null);
  const list = [...(conflicts.data?.conflicts ?? [])].sort(
    (a, b) => CONFLICT_ORDER.indexOf(a.kind) - CONFLICT_ORDER.indexOf(b.kind),
  );
  return (
    <Card withBorder data-testid="change-schedule">
      <Title order={2} size="h4" mb="sm">
        {c.schedule}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Field label={f.plannedStart} value={when(change.plannedStart)} />
        <Field label={f.plannedEnd} value={when(change.plannedEnd)} />
        <Field label={f.actualStart} value={when(change.actualStart)} />
        <Field label={f.actualEnd} value={when(change.actualEnd)} />
      </SimpleGrid>
      {change.blackoutOverrideReason && (
        <LongField label={f.blackoutOverrideReason} value={change.blackoutOverrideReason} />
      )}
      {change.plannedStart && (
        <Anchor
          component={Link}
          to={`/changes/schedule?view=week&date=${toDayParam(new Date(change.plannedStart))}`}
          size="sm"
          mt="xs"
          display="block"
        >
          {c.showOnCalendar}
        </Anchor>
      )}
      {conflicts.data && (
        <>
          <Title order={3} size="h5" mt="md" mb="xs">
            {c.conflicts}
          </Title>
          {list.length === 0 ? (
            <Text c="dimmed">{c.noConflicts}</Text>
          ) : (
            <List size="sm" data-testid="change-conflicts">
              {list.map((conflict, index) => (
                <List.Item key={index}>
                  <Badge variant="outline" color="red.9" mr="xs">
                    {t.changes.conflictKinds[conflict.kind] ?? conflict.kind}
                  </Badge>
                  {conflict.message}
                  {conflict.refused ? ` (${c.refused})` : ''}
                </List.Item>
              ))}
            </List>
          )}
          {[conflicts.data.dependencyCheckDegraded, conflicts.data.classCheckDegraded]
            .filter((why): why is string => why !== null)
            .map((why) => (
              <Text key={why} size="sm" c="dimmed">
                {c.degraded(why)}
              </Text>
            ))}
        </>
      )}
    </Card>
  );
}

function CisCard({ change }: { change: Change }) {
  const session = useSession();
  const ids = [...change.ciIds, ...change.businessServiceIds];
  const cis = useCis(session.can('cmdb:read') ? ids : []);
  const name = (id: string) => cis.data?.get(id)?.name ?? id;
  const item = (id: string) => (
    <List.Item key={id}>
      {session.can('cmdb:read') ? (
        <Anchor component={Link} to={`/cmdb/cis/${id}`}>
          {name(id)}
        </Anchor>
      ) : (
        id
      )}
    </List.Item>
  );
  return (
    <Card withBorder data-testid="change-cis">
      <Title order={2} size="h4" mb="sm">
        {c.cis}
      </Title>
      {change.ciIds.length === 0 ? (
        <Text c="dimmed">{c.noCis}</Text>
      ) : (
        <List>{change.ciIds.map(item)}</List>
      )}
      {change.businessServiceIds.length > 0 && (
        <>
          <Title order={3} size="h5" mt="md" mb="xs">
            {c.services}
          </Title>
          <List>{change.businessServiceIds.map(item)}</List>
        </>
      )}
    </Card>
  );
}

function JournalCard({ change }: { change: Change }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'work_note' | 'comment'>('work_note');
  const [text, setText] = useState('');
  const path = `/changes/${change.id}/journal`;
  const journal = useQuery({
    queryKey: ['change', change.id, 'journal', change.version],
    queryFn: () => apiGet<Page<JournalEntry>>(`${path}?limit=200`),
  });
  const add = useMutation({
    mutationFn: () => apiRequest('POST', path, { body: { kind, text } }),
    onSuccess: async () => {
      setText('');
      await queryClient.invalidateQueries({ queryKey: ['change', change.id, 'journal'] });
    },
  });
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">
          {c.journal}
        </Title>
        {session.can('change:write') && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (text.trim()) add.mutate();
            }}
          >
            <Stack gap="xs">
              <SegmentedControl
                aria-label={c.journal}
                value={kind}
                onChange={(value) => setKind(value)}
                data={[
                  { value: 'work_note', label: c.workNote },
                  { value: 'comment', label: c.comment },
                ]}
              />
              <Textarea
                label={kind === 'work_note' ? c.workNote : c.comment}
                value={text}
                onChange={(event) => setText(event.currentTarget.value)}
                autosize
                minRows={2}
              />
              {add.error && <Alert color="red">{add.error.message}</Alert>}
              <Group justify="flex-end">
                <Button type="submit" loading={add.isPending}>
                  {c.add}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {journal.data?.items.length === 0 && <Text c="dimmed">{c.noJournal}</Text>}
        <Stack gap="sm">
          {[...(journal.data?.items ?? [])].reverse().map((entry) => (
            <Card
              key={entry.id}
              withBorder
              padding="sm"
              bg={entry.kind === 'work_note' ? 'var(--mantine-color-yellow-light)' : undefined}
            >
              <Text size="xs" c="dimmed">
                {entry.kind === 'work_note' ? c.workNote : c.comment} · {entry.author} ·{' '}
                {when(entry.at)}
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{entry.text}</Text>
            </Card>
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}

function HistoryCard({ change }: { change: Change }) {
  // Newest first: what happened last is what a reader looks for.
  const history = useQuery({
    queryKey: ['change', change.id, 'history', change.version],
    queryFn: () => apiGet<Page<HistoryEntry>>(`/changes/${change.id}/history?limit=200`),
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {c.history}
      </Title>
      {history.data?.items.length === 0 && <Text c="dimmed">{c.noHistory}</Text>}
      <Timeline bulletSize={12} lineWidth={2}>
        {[...(history.data?.items ?? [])].reverse().map((entry, index) => (
          <Timeline.Item
            key={index}
            title={c.historyLine(entry.field, show(entry.oldValue), show(entry.newValue))}
          >
            <Text size="xs" c="dimmed">
              {entry.actor} · {when(entry.at)}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}

/**
 * One change: its fields, risk and what drove it, planned window and conflicts, affected
 * CIs, approval rounds, the steps open to the user (and approving when it waits on
 * them), journal and history.
 */
export function ChangePage() {
  const { id = '' } = useParams();
  const session = useSession();
  const change = useChange(id);
  const mayWrite = session.can('change:write');
  const open = useChangeTransitions(id, change.data?.version, mayWrite);
  const approvals = useChangeApprovals(id, change.data?.version);
  const [moving, setMoving] = useState<ChangeAction>();
  const [deciding, setDeciding] = useState<'approve' | 'reject'>();
  if (change.isPending) return <Loading />;
  if (change.error) {
    return (
      <Alert color="red">
        {change.error instanceof ApiError && change.error.status === 404
          ? c.notFound
          : change.error.message}
      </Alert>
    );
  }
  const current = change.data;
  // The list answers for the version on screen only: none while a newer one is read.
  const actions = changeActions(
    open.data?.state === current.state ? open.data : undefined,
    mayWrite,
  );
  const mine =
    session.me && session.can('change:approve') && approvals.data
      ? openApproversFor(session.me, current, approvals.data)
      : [];
  return (
    <Stack>
      <Anchor component={Link} to="/changes" size="sm">
        {c.back}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {current.number} · {current.title}
        </Title>
        <StateBadge state={current.state} />
        <RiskBadge risk={current.risk} />
        <Badge variant="default">{t.changes.models[current.model] ?? current.model}</Badge>
      </Group>
      <UpdatedElsewhere
        recordType="change"
        id={id}
        stateLabel={(state) => t.changes.states[state] ?? state}
      />
      {current.onHold && <Alert color="orange">{c.onHold(current.holdReason ?? '')}</Alert>}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {c.actions}
        </Title>
        {actions.length === 0 && mine.length === 0 ? (
          <Text c="dimmed">{c.noActions}</Text>
        ) : (
          <Group>
            {mine.length > 0 && (
              <>
                <Button onClick={() => setDeciding('approve')}>{t.changes.decide.approve}</Button>
                <Button variant="default" onClick={() => setDeciding('reject')}>
                  {t.changes.decide.reject}
                </Button>
              </>
            )}
            {actions.map((action) => (
              <Button key={action.to} variant="default" onClick={() => setMoving(action)}>
                {c.moveTo(t.changes.states[action.to] ?? action.to)}
              </Button>
            ))}
          </Group>
        )}
      </Card>
      {moving && (
        <MoveDialog change={current} action={moving} onClose={() => setMoving(undefined)} />
      )}
      {deciding && (
        <DecisionDialog
          change={current}
          decision={deciding}
          approvers={mine}
          onClose={() => setDeciding(undefined)}
        />
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Card withBorder>
              <Title order={2} size="h4" mb="sm">
                {c.fields}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
                <Field
                  label={f.state}
                  value={t.changes.states[current.state]}
                  testId="change-field-state"
                />
                <Field label={f.model} value={t.changes.models[current.model]} />
                <Field label={f.approval} value={t.changes.approvals[current.approval]} />
                <Field label={f.category} value={current.category} />
                <Field label={f.impact} value={c.impacts[String(current.impact)]} />
                <Field label={f.assignmentGroup} value={current.assignmentGroup} />
                <Field label={f.assignee} value={current.assignee} />
                <Field label={f.requestedBy} value={current.requestedBy} />
                <Field label={f.openedAt} value={when(current.openedAt)} />
                <Field label={f.authorizedAt} value={when(current.authorizedAt)} />
                <Field label={f.updatedAt} value={when(current.updatedAt)} />
                {current.closeCode && (
                  <Field label={f.closeCode} value={t.changes.closeCodes[current.closeCode]} />
                )}
              </SimpleGrid>
              <Stack gap="xs" mt="md">
                <LongField label={f.description} value={current.description} />
                <LongField label={f.justification} value={current.justification} />
                <LongField label={f.implementationPlan} value={current.implementationPlan} />
                <LongField label={f.backoutPlan} value={current.backoutPlan} />
                <LongField label={f.testPlan} value={current.testPlan} />
                {current.closeNotes && (
                  <LongField label={f.closeNotes} value={current.closeNotes} />
                )}
                {current.reviewNotes && (
                  <LongField label={f.reviewNotes} value={current.reviewNotes} />
                )}
              </Stack>
            </Card>
            <JournalCard change={current} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Card withBorder data-testid="change-risk-card">
              <Group mb="sm">
                <Title order={2} size="h4">
                  {c.risk}
                </Title>
                <RiskBadge risk={current.risk} />
              </Group>
              {current.riskSource && (
                <Text size="sm">
                  {c.riskSetBy(t.changes.riskSources[current.riskSource] ?? current.riskSource)}
                </Text>
              )}
              {current.riskReasons.length === 0 ? (
                <Text c="dimmed">{c.noRiskReasons}</Text>
              ) : (
                <List size="sm">
                  {current.riskReasons.map((reason) => (
                    <List.Item key={reason}>{reason}</List.Item>
                  ))}
                </List>
              )}
              {current.riskAssessedAt && (
                <Text size="xs" c="dimmed" mt="xs">
                  {c.riskAssessedAt(when(current.riskAssessedAt))}
                </Text>
              )}
            </Card>
            <ScheduleCard change={current} />
            <CisCard change={current} />
            <ApprovalsCard change={current} />
            <HistoryCard change={current} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
