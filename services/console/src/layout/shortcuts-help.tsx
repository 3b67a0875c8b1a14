import { Fragment } from 'react';
import { Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { t } from '../strings';

/** Every shortcut of the console (t.shortcuts.groups), one table per place it works. */
export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const s = t.shortcuts;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={s.title}
      size="lg"
      closeButtonProps={{ 'aria-label': s.close }}
    >
      <Stack>
        <Text size="sm">{s.intro}</Text>
        {s.groups.map((group) => (
          <Table key={group.title} captionSide="top" withRowBorders={false} verticalSpacing={4}>
            <Table.Caption style={{ textAlign: 'start' }}>
              <Text fw={700}>{group.title}</Text>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="35%">{s.columns.keys}</Table.Th>
                <Table.Th>{s.columns.action}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {group.items.map((item) => (
                <Table.Tr key={item.action}>
                  <Table.Td>
                    {item.keys.map((key, index) => (
                      <Fragment key={key}>
                        {index > 0 && ` ${s.or} `}
                        <Kbd>{key}</Kbd>
                      </Fragment>
                    ))}
                  </Table.Td>
                  <Table.Td>{item.action}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ))}
      </Stack>
    </Modal>
  );
}
