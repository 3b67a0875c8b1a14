import { Alert } from '@mantine/core';
import { useIsMutating } from '@tanstack/react-query';
import { useState } from 'react';
import { isOwnWrite } from '../api/own-writes';
import { t } from '../strings';
import { useLiveChanges, type LiveChange } from './live-updates';

/**
 * Someone else's change to the record on the page, once this tab's own writes have been
 * answered (an event can overtake the answer to the write that caused it).
 */
function useChangeByOthers(recordType: LiveChange['recordType'], id: string) {
  const [change, setChange] = useState<LiveChange>();
  const mutating = useIsMutating();
  const [heard, setHeard] = useState<LiveChange>();
  useLiveChanges((each) => {
    if (each.recordType === recordType && each.id === id) setHeard(each);
  });
  if (heard && mutating === 0) {
    setHeard(undefined);
    if (!isOwnWrite(heard)) setChange(heard);
  }
  return { change: change?.id === id ? change : undefined, dismiss: () => setChange(undefined) };
}

/**
 * The notice a record page shows when someone else changed the record it shows (the page
 * itself has already been read again by then): the state it is in now, dismissable.
 */
export function UpdatedElsewhere({
  recordType,
  id,
  stateLabel,
}: {
  recordType: LiveChange['recordType'];
  id: string;
  stateLabel: (state: string) => string;
}) {
  const { change, dismiss } = useChangeByOthers(recordType, id);
  if (!change) return null;
  return (
    <Alert
      role="status"
      color="blue"
      withCloseButton
      closeButtonLabel={t.live.dismiss}
      onClose={dismiss}
      title={t.live.updatedElsewhere}
    >
      {t.live.nowIn(stateLabel(change.state))}
    </Alert>
  );
}
