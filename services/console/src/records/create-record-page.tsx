import {
  Alert,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, apiRequest } from '../api/client';
import type { ServiceRecord } from '../api/types';
import { t } from '../strings';
import { recordPath, type RecordKind } from './record-kinds';
import { KnownWorkarounds } from '../problems/matching-known-errors';
import { CatalogItemPicker } from '../catalog/catalog-item-picker';

/** randomUUID needs a secure context (HTTPS, or localhost). */
const newKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : undefined);

const LEVELS = Object.entries(t.create.levels).map(([value, label]) => ({ value, label }));

/**
 * Title, description, impact and urgency (and for a request its catalogue item): the
 * focus starts in the title, Ctrl+Enter creates.
 */
export function CreateRecordPage({ kind }: { kind: RecordKind }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState('3');
  const [urgency, setUrgency] = useState('3');
  // `?catalogItem=<key>`: opened from the catalogue with the item chosen.
  const [params] = useSearchParams();
  const [catalogItem, setCatalogItem] = useState(() => params.get('catalogItem') ?? '');
  const isRequest = kind.type === 'request';
  // One key per attempt at this form: a resend of what went out (after a lost answer)
  // creates one incident; after an answered error the form may change, so a new key.
  const [idempotencyKey, setIdempotencyKey] = useState(newKey);
  const create = useMutation({
    mutationFn: () =>
      apiRequest<ServiceRecord>('POST', `/${kind.collection}`, {
        body: {
          title,
          description,
          impact: Number(impact),
          urgency: Number(urgency),
          ...(isRequest ? { catalogItem: catalogItem.trim() } : {}),
        },
        headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      }),
    onError: (error) => {
      if (error instanceof ApiError) setIdempotencyKey(newKey());
    },
    onSuccess: async ({ body }) => {
      await queryClient.invalidateQueries({ queryKey: [kind.collection] });
      void navigate(recordPath(kind, body.id));
    },
  });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const complete = title.trim() && description.trim() && (!isRequest || catalogItem.trim());
    if (complete && !create.isPending) create.mutate();
  };
  const shortcut = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  };
  return (
    <Card withBorder maw={720}>
      <form onSubmit={submit} onKeyDown={shortcut}>
        <Stack>
          <Title order={1} size="h2">
            {kind.words.new}
          </Title>
          {create.error && <Alert color="red">{create.error.message}</Alert>}
          <TextInput
            label={t.create.shortTitle}
            required
            autoFocus
            maxLength={200}
            value={title}
            onChange={(event) => setTitle(event.currentTarget.value)}
          />
          <Textarea
            label={t.create.description}
            required
            autosize
            minRows={3}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          {!isRequest && <KnownWorkarounds text={`${title} ${description}`} />}
          {isRequest && (
            <CatalogItemPicker
              label={t.create.catalogItem}
              value={catalogItem}
              onChange={setCatalogItem}
            />
          )}
          <Group>
            <LevelControl id="impact" label={t.create.impact} value={impact} onChange={setImpact} />
            <LevelControl
              id="urgency"
              label={t.create.urgency}
              value={urgency}
              onChange={setUrgency}
            />
          </Group>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t.create.hint}
            </Text>
            <Button type="submit" loading={create.isPending}>
              {kind.words.create}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** One of the 1-3 scales (impact, urgency), labelled for screen readers by its heading. */
function LevelControl(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={`${props.id}-label`}>
        {props.label}
      </Text>
      <SegmentedControl
        aria-labelledby={`${props.id}-label`}
        value={props.value}
        onChange={props.onChange}
        data={LEVELS}
      />
    </Stack>
  );
}
