import { Loader } from '@mantine/core';
import { t } from '../strings';

/** A spinner with a name: a `span` may carry `aria-label` only with a role (axe-core). */
export function Loading({ label = t.loading }: { label?: string }) {
  return <Loader role="status" aria-label={label} />;
}
