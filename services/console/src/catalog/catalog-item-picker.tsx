import { Stack, Text, TextInput } from '@mantine/core';
import { useId } from 'react';
import { t } from '../strings';
import { useCatalog, useCatalogItem } from './catalog-api';

const c = t.catalog;

/**
 * A request's catalogue item: offered from the active items of the catalogue (a native
 * suggestion list, by key and name), or typed as free text, which the API still takes for
 * keys the catalogue does not hold. The chosen item's name and description say what the
 * requester gets.
 */
export function CatalogItemPicker(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const listId = useId();
  const catalog = useCatalog({ active: 'true' });
  const items = catalog.data?.pages.flatMap((page) => page.items) ?? [];
  const chosen = useCatalogItem(props.value);
  return (
    <Stack gap={4}>
      <TextInput
        label={props.label}
        description={c.picker.hint}
        required
        maxLength={100}
        list={listId}
        autoComplete="off"
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      />
      <datalist id={listId}>
        {items.map((item) => (
          <option key={item.key} value={item.key} label={item.name} />
        ))}
      </datalist>
      {chosen.data && (
        <Stack gap={2} data-testid="chosen-catalog-item">
          <Text size="sm" fw={500} c={chosen.data.active ? undefined : 'red'}>
            {chosen.data.active ? c.picker.chosen(chosen.data.name) : c.picker.retired}
          </Text>
          {chosen.data.active && <Text size="sm">{chosen.data.description}</Text>}
        </Stack>
      )}
    </Stack>
  );
}
