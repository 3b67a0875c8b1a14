import { Chip, Group } from '@mantine/core';
import { useId } from 'react';

export interface Choice {
  value: string;
  label: string;
  disabled?: boolean;
}

interface ChoiceChipsProps {
  /** The group's accessible name. */
  label: string;
  value: string;
  onChange: (value: string) => void;
  data: readonly Choice[];
}

/**
 * One choice among a few, as a radio group of chips (arrow keys move between them, as
 * between any radios of one name). The queue's controls were SegmentedControls, whose
 * floating indicator measures the page (a forced layout) on mount and on every resize of
 * its items: some 50 to 100 ms of the workspace's first load on this machine
 * (docs/benchmarks-console.md).
 */
export function ChoiceChips({ label, value, onChange, data }: ChoiceChipsProps) {
  const name = useId();
  return (
    <Chip.Group value={value} onChange={onChange}>
      <Group gap="xs" role="radiogroup" aria-label={label}>
        {data.map((choice) => (
          <Chip
            key={choice.value}
            value={choice.value}
            name={name}
            disabled={choice.disabled}
            variant="outline"
          >
            {choice.label}
          </Chip>
        ))}
      </Group>
    </Chip.Group>
  );
}
