import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { apiRequest } from '../api/client';
import { useSession } from '../auth/session';
import { t } from '../strings';
import {
  EMPTY_FORM,
  changesOf,
  createBody,
  formOf,
  isComplete,
  suggestedKey,
  type CatalogItem,
  type ItemForm,
} from './catalog';
import { useCatalog } from './catalog-api';

const c = t.catalog;
const m = c.manage;

/**
 * The catalogue as those who fulfil requests see it (every item, retired ones on demand);
 * those with `catalog:manage` add, edit, retire and reinstate items.
 */
export function CatalogManagePage() {
  const session = useSession();
  const manages = session.can('catalog:manage');
  const queryClient = useQueryClient();
  const [showRetired, setShowRetired] = useState(false);
  // The item stays after the dialog closes: its title must name the dialog until the closing
  // transition ends (an empty title leaves a nameless dialog in the page meanwhile).
  const [editing, setEditing] = useState<CatalogItem | 'new' | null>(null);
  const [dialogOpened, setDialogOpened] = useState(false);
  const edit = (item: CatalogItem | 'new') => {
    setEditing(item);
    setDialogOpened(true);
  };
  const list = useCatalog({ active: showRetired ? undefined : 'true' });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const setActive = useMutation({
    mutationFn: (item: CatalogItem) =>
      apiRequest<CatalogItem>('PATCH', `/catalog-items/${encodeURIComponent(item.key)}`, {
        body: { active: !item.active },
        headers: { 'if-match': `"${item.version}"` },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['catalog-items'] }),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {m.title}
        </Title>
        {manages && <Button onClick={() => edit('new')}>{m.add}</Button>}
      </Group>
      <Text>{m.intro}</Text>
      <Checkbox
        label={m.showRetired}
        checked={showRetired}
        onChange={(event) => setShowRetired(event.currentTarget.checked)}
      />
      {(list.error ?? setActive.error) && (
        <Alert color="red">{(list.error ?? setActive.error)?.message}</Alert>
      )}
      <Table striped aria-busy={list.isFetching} data-testid="catalog-items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{m.columns.name}</Table.Th>
            <Table.Th>{m.columns.key}</Table.Th>
            <Table.Th>{m.columns.category}</Table.Th>
            <Table.Th>{m.columns.fulfilmentGroup}</Table.Th>
            <Table.Th>{m.columns.status}</Table.Th>
            {manages && <Table.Th>{m.columns.actions}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.key}>
              <Table.Td>{item.name}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {item.key}
                </Text>
              </Table.Td>
              <Table.Td>{item.category}</Table.Td>
              <Table.Td>{item.fulfilmentGroup ?? m.noGroup}</Table.Td>
              <Table.Td>
                <Badge variant={item.active ? 'default' : 'filled'} color="gray.7">
                  {item.active ? m.active : m.retiredStatus}
                </Badge>
              </Table.Td>
              {manages && (
                <Table.Td>
                  <Group gap="xs">
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`${m.edit} ${item.name}`}
                      onClick={() => edit(item)}
                    >
                      {m.edit}
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`${item.active ? m.retire : m.reinstate} ${item.name}`}
                      loading={setActive.isPending && setActive.variables.key === item.key}
                      onClick={() => setActive.mutate(item)}
                    >
                      {item.active ? m.retire : m.reinstate}
                    </Button>
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!list.isPending && items.length === 0 && (
        <Alert color="gray" data-testid="catalog-empty">
          <Text fw={500}>{c.empty}</Text>
          {manages && <Text>{m.emptyHint}</Text>}
        </Alert>
      )}
      {list.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {c.loadMore}
        </Button>
      )}
      <Modal
        opened={dialogOpened}
        onClose={() => setDialogOpened(false)}
        closeButtonProps={{ 'aria-label': m.cancel }}
        title={editing === 'new' ? m.add : editing ? m.editTitle(editing.name) : ''}
      >
        {editing !== null && (
          <ItemFormFields
            key={editing === 'new' ? 'new' : editing.key}
            item={editing === 'new' ? null : editing}
            onDone={() => {
              setDialogOpened(false);
              void queryClient.invalidateQueries({ queryKey: ['catalog-items'] });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

/** Add (item null) or edit an item; the key is set once, suggested from the name. */
function ItemFormFields({ item, onDone }: { item: CatalogItem | null; onDone: () => void }) {
  const [form, setForm] = useState<ItemForm>(item ? formOf(item) : EMPTY_FORM);
  const [keyTouched, setKeyTouched] = useState(item !== null);
  const save = useMutation({
    mutationFn: () =>
      item
        ? apiRequest<CatalogItem>('PATCH', `/catalog-items/${encodeURIComponent(item.key)}`, {
            body: changesOf(item, form),
            headers: { 'if-match': `"${item.version}"` },
          })
        : apiRequest<CatalogItem>('POST', '/catalog-items', { body: createBody(form) }),
    onSuccess: onDone,
  });
  const field = (name: keyof ItemForm) => ({
    value: form[name] as string,
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setForm((current) => ({
        ...current,
        [name]: value,
        ...(name === 'name' && !keyTouched ? { key: suggestedKey(value) } : {}),
      }));
      if (name === 'key') setKeyTouched(true);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (isComplete(form) && !save.isPending) save.mutate();
  };
  const f = c.fields;
  return (
    <form onSubmit={submit}>
      <Stack>
        {save.error && <Alert color="red">{save.error.message}</Alert>}
        <TextInput label={f.name} required maxLength={200} data-autofocus {...field('name')} />
        <TextInput
          label={f.key}
          description={f.keyHint}
          required
          maxLength={100}
          disabled={item !== null}
          {...field('key')}
        />
        <Textarea
          label={f.description}
          description={f.descriptionHint}
          autosize
          minRows={2}
          maxLength={4000}
          {...field('description')}
        />
        <TextInput label={f.category} required maxLength={100} {...field('category')} />
        <TextInput
          label={f.fulfilmentGroup}
          description={f.fulfilmentGroupHint}
          maxLength={100}
          {...field('fulfilmentGroup')}
        />
        <Checkbox
          label={f.active}
          checked={form.active}
          onChange={(event) => {
            const active = event.currentTarget.checked;
            setForm((current) => ({ ...current, active }));
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {m.cancel}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!isComplete(form)}>
            {m.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
