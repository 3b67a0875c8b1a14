import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { apiRequest } from '../api/client';
import { t } from '../strings';
import type { ApproverRef, ChangeApprovals } from './types';

const d = t.changes.decide;

export const approverName = (approver: ApproverRef) =>
  `${t.changes.change.approverKinds[approver.kind] ?? approver.kind} ${approver.name}`;

/**
 * Approve or reject (`POST /api/v1/changes/{id}/approvals`), with a comment: optional to
 * approve, required to reject. The change's pages and lists are read again afterwards.
 */
export function DecisionDialog({
  change,
  decision,
  approvers,
  onClose,
  onDecided,
}: {
  change: { id: string; number: string };
  decision: 'approve' | 'reject';
  approvers: ApproverRef[];
  onClose: () => void;
  onDecided?: () => void;
}) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const decide = useMutation({
    mutationFn: () =>
      apiRequest<ChangeApprovals>('POST', `/changes/${change.id}/approvals`, {
        body: { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      }),
    onSuccess: async () => {
      await Promise.all(
        [['change', change.id], ['changes'], ['change-inbox'], ['cab-agenda'], ['schedule']].map(
          (queryKey) => queryClient.invalidateQueries({ queryKey }),
        ),
      );
      onDecided?.();
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    decide.mutate();
  };
  const rejecting = decision === 'reject';
  return (
    <Modal
      opened
      onClose={onClose}
      title={rejecting ? d.rejectTitle(change.number) : d.approveTitle(change.number)}
      closeButtonProps={{ 'aria-label': d.cancel }}
    >
      <form onSubmit={submit}>
        <Stack>
          {decide.error && <Alert color="red">{decide.error.message}</Alert>}
          {approvers.length > 0 && (
            <Text size="sm">{d.forWhom(approvers.map(approverName).join(', '))}</Text>
          )}
          <Textarea
            label={d.comment}
            description={d.commentHint}
            required={rejecting}
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
            autosize
            minRows={2}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {d.cancel}
            </Button>
            <Button
              type="submit"
              color={rejecting ? 'red.9' : undefined}
              loading={decide.isPending}
            >
              {rejecting ? d.reject : d.approve}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
