import './styles.ts';
import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import type { ReactNode } from 'react';
import { cssVariablesResolver, theme } from './theme.ts';

/**
 * The UI providers, also used by the start-up pages that render before sign-in. ModalsProvider
 * shows the dialogs of `modals.*` and of confirmAction (src/components/confirm.ts).
 */
export function UiProviders({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <ModalsProvider>{children}</ModalsProvider>
    </MantineProvider>
  );
}
