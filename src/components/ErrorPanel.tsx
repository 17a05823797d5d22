import { Alert, List, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface ErrorPanelProps {
  title: string;
  children?: ReactNode;
  /** What the reader can do about it, one step per entry. */
  fixes?: ReactNode[];
  color?: 'red' | 'orange' | 'yellow';
}

export function ErrorPanel({ title, children, fixes = [], color = 'red' }: ErrorPanelProps) {
  return (
    <Alert color={color} title={title} role="alert" variant="light">
      <Stack gap="xs">
        {children}
        {fixes.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              What to do
            </Text>
            <List size="sm" spacing={4}>
              {fixes.map((fix, index) => (
                // Fixes are static text per error, so their order is their identity.
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed list
                <List.Item key={index}>{fix}</List.Item>
              ))}
            </List>
          </>
        )}
      </Stack>
    </Alert>
  );
}
