import {
  ActionIcon,
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
  Tooltip,
} from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { t } from '../strings';
import { RECORD_KINDS } from './record-kinds';
import {
  addressOf,
  normalisedAddress,
  savedParameters,
  type QueueAddress,
  type QueuePageKind,
  type SavedQueue,
  type SavedQueueList,
  type Viewer,
} from './saved-queues';
import { useSavedQueueActions, useSavedQueues } from './saved-queues-api';

const words = t.savedQueues;

const openStatesOf = (list: SavedQueueList) =>
  RECORD_KINDS[list === 'requests' ? 'request' : 'incident'].openStates;

function useViewer(): Viewer | undefined {
  const me = useSession().me;
  return me && { username: me.username, groups: me.groups };
}

/** Where a saved queue opens for the signed-in user. */
function useAddressOf(): (queue: SavedQueue) => string {
  const viewer = useViewer();
  return (queue) => (viewer ? addressOf(queue, viewer, openStatesOf(queue.list)) : '/queue');
}

/**
 * Opens the user's default saved queue when its page (`/queue` or `/my`) is opened with
 * no parameters at all. True until it is known whether there is one to open.
 */
export function useDefaultSavedQueue(): boolean {
  const location = useLocation();
  const navigate = useNavigate();
  const queues = useSavedQueues();
  const address = useAddressOf();
  const fallback = queues.data?.find((queue) => queue.isDefault);
  const target = fallback && location.search === '' ? address(fallback) : undefined;
  const opens = target?.startsWith(`${location.pathname}?`) === true;
  useEffect(() => {
    if (opens && target) void navigate(target, { replace: true });
  }, [opens, target, navigate]);
  return location.search === '' && (queues.isPending || opens);
}

/** The problem's word on a field, when it names one. */
function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const named = error.problem?.errors?.filter((each) => each.field === field) ?? [];
  return named.length > 0 ? (error.problem?.detail ?? named[0]?.message) : undefined;
}

function SaveDialog({ address, onClose }: { address: QueueAddress; onClose: () => void }) {
  const viewer = useViewer();
  const navigate = useNavigate();
  const { create } = useSavedQueueActions();
  const [name, setName] = useState('');
  const [isDefault, setIsDefault] = useState(false);
  const nameError = fieldError(create.error, 'name');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!viewer) return;
    create.mutate(
      {
        name: name.trim(),
        list: address.list,
        parameters: savedParameters(address, viewer, openStatesOf(address.list)),
        isDefault,
      },
      {
        onSuccess: (queue) => {
          onClose();
          void navigate(addressOf(queue, viewer, openStatesOf(queue.list)), { replace: true });
        },
      },
    );
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={words.saveTitle}
      closeButtonProps={{ 'aria-label': words.cancel }}
    >
      <form onSubmit={submit}>
        <Stack>
          {create.error && !nameError && <Alert color="red">{create.error.message}</Alert>}
          <TextInput
            label={words.name}
            description={words.nameHint}
            required
            maxLength={100}
            data-autofocus
            value={name}
            error={nameError}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Checkbox
            label={words.makeDefault}
            checked={isDefault}
            onChange={(event) => setIsDefault(event.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {words.cancel}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              {words.submit}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function IconAction({
  label,
  onClick,
  disabled,
  children,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="default" aria-label={label} onClick={onClick} disabled={disabled}>
        <span aria-hidden="true">{children}</span>
      </ActionIcon>
    </Tooltip>
  );
}

function RenameForm({ queue, onDone }: { queue: SavedQueue; onDone: () => void }) {
  const { update } = useSavedQueueActions();
  const [name, setName] = useState(queue.name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ queue, changes: { name: name.trim() } }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Group gap="xs" align="start">
        <TextInput
          aria-label={words.newName(queue.name)}
          required
          maxLength={100}
          data-autofocus
          autoFocus
          value={name}
          error={update.error?.message}
          onChange={(event) => setName(event.currentTarget.value)}
          onKeyDown={(event) => event.key === 'Escape' && onDone()}
        />
        <Button type="submit" size="sm" loading={update.isPending} disabled={!name.trim()}>
          {words.saveName}
        </Button>
      </Group>
    </form>
  );
}

function ManageDialog({ onClose }: { onClose: () => void }) {
  const queues = useSavedQueues();
  const { update, remove } = useSavedQueueActions();
  const [renaming, setRenaming] = useState<string>();
  const items = queues.data ?? [];
  const error = update.error ?? remove.error;
  return (
    <Modal
      opened
      onClose={onClose}
      title={words.manageTitle}
      size="xl"
      closeButtonProps={{ 'aria-label': words.close }}
    >
      <Stack>
        {error && <Alert color="red">{error.message}</Alert>}
        {items.length === 0 && <Text>{words.none}</Text>}
        {items.length > 0 && (
          <Table aria-busy={queues.isFetching}>
            <Table.Caption>{words.caption}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{words.columns.name}</Table.Th>
                <Table.Th>{words.columns.list}</Table.Th>
                <Table.Th>{words.columns.actions}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((queue, index) => (
                <Table.Tr key={queue.id}>
                  <Table.Td>
                    {renaming === queue.id ? (
                      <RenameForm queue={queue} onDone={() => setRenaming(undefined)} />
                    ) : (
                      <Group gap="xs">
                        <Text>{queue.name}</Text>
                        {queue.isDefault && <Badge variant="light">{words.isDefault}</Badge>}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>{words.lists[queue.list] ?? queue.list}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <IconAction
                        label={words.rename(queue.name)}
                        onClick={() => setRenaming(queue.id)}
                      >
                        ✎
                      </IconAction>
                      <IconAction
                        label={words.moveUp(queue.name)}
                        disabled={index === 0}
                        onClick={() => update.mutate({ queue, changes: { position: index - 1 } })}
                      >
                        ↑
                      </IconAction>
                      <IconAction
                        label={words.moveDown(queue.name)}
                        disabled={index === items.length - 1}
                        onClick={() => update.mutate({ queue, changes: { position: index + 1 } })}
                      >
                        ↓
                      </IconAction>
                      <IconAction
                        label={
                          queue.isDefault
                            ? words.unsetDefault(queue.name)
                            : words.setDefault(queue.name)
                        }
                        onClick={() =>
                          update.mutate({ queue, changes: { isDefault: !queue.isDefault } })
                        }
                      >
                        {queue.isDefault ? '★' : '☆'}
                      </IconAction>
                      <IconAction
                        label={words.remove(queue.name)}
                        onClick={() => remove.mutate(queue)}
                      >
                        ✕
                      </IconAction>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {words.close}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * The queue page's saved queues: a link that opens each, the dialog to manage them, "Save
 * as queue" for what the page shows now, and the name of the saved queue open.
 */
export function SavedQueuesBar({
  page,
  address,
}: {
  page: QueuePageKind;
  address: Omit<QueueAddress, 'page'>;
}) {
  const location = useLocation();
  const queues = useSavedQueues();
  const address_ = useAddressOf();
  const [dialog, setDialog] = useState<'save' | 'manage'>();
  const items = queues.data ?? [];
  const here = normalisedAddress(location.pathname, location.search);
  const current = items.find((queue) => address_(queue) === here);
  return (
    <Group gap="xs" component="nav" aria-label={words.menu}>
      <Text size="sm" fw={600}>
        {words.menu}
      </Text>
      {queues.isSuccess && items.length === 0 && <Text size="sm">{words.none}</Text>}
      {items.map((queue) => (
        <Button
          key={queue.id}
          component={Link}
          to={address_(queue)}
          size="xs"
          variant={queue.id === current?.id ? 'filled' : 'light'}
          aria-current={queue.id === current?.id ? 'page' : undefined}
          rightSection={queue.isDefault ? <span>({words.defaultMark})</span> : undefined}
        >
          {queue.name}
        </Button>
      ))}
      {items.length > 0 && (
        <Button size="xs" variant="default" onClick={() => setDialog('manage')}>
          {words.manage}
        </Button>
      )}
      <Button size="xs" variant="default" onClick={() => setDialog('save')}>
        {words.save}
      </Button>
      {current && (
        <Text size="sm" data-testid="current-saved-queue">
          {words.current(current.name)}
        </Text>
      )}
      {dialog === 'save' && (
        <SaveDialog address={{ ...address, page }} onClose={() => setDialog(undefined)} />
      )}
      {dialog === 'manage' && <ManageDialog onClose={() => setDialog(undefined)} />}
    </Group>
  );
}
