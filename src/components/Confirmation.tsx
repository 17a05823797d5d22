// Loaded with the screens that ask, not with the first page.
import '@mantine/core/styles/Modal.css';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useCallback, useRef, useState } from 'react';

export interface ConfirmationOptions {
  /** The dialog's title, and so its accessible name. */
  title: string;
  /** What will happen, and what it cannot take back. */
  message: ReactNode;
  /** The confirm button's label: the action itself ("Undo this run"), never a bare "OK". */
  confirmLabel: string;
  /** A red confirm button, for an action that removes or overwrites something. */
  danger?: boolean;
}

/**
 * Asks before an action: `ask(options)` opens a dialog and resolves true when the user confirms, false when
 * they cancel or close it (Escape, the close button, a click outside). Render `dialog` once in the screen.
 *
 * @example
 * const { ask, dialog } = useConfirmation();
 * <Button onClick={async () => { if (await ask({ title: 'Undo this run?', message, confirmLabel: 'Undo this run' })) undo(); }} />
 * {dialog}
 */
export function useConfirmation(): { ask: (options: ConfirmationOptions) => Promise<boolean>; dialog: ReactNode } {
  const [open, setOpen] = useState<ConfirmationOptions | undefined>();
  const answer = useRef<(confirmed: boolean) => void>(undefined);
  const settle = (confirmed: boolean) => {
    answer.current?.(confirmed);
    answer.current = undefined;
    setOpen(undefined);
  };
  const ask = useCallback((options: ConfirmationOptions) => {
    // A second question while one is open answers the first with "no".
    answer.current?.(false);
    setOpen(options);
    return new Promise<boolean>((resolve) => {
      answer.current = resolve;
    });
  }, []);
  const dialog = (
    <Modal opened={open !== undefined} onClose={() => settle(false)} title={open?.title} centered>
      <Stack gap="md">
        <Text size="sm" component="div">
          {open?.message}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => settle(false)}>
            Cancel
          </Button>
          <Button color={open?.danger ? 'red' : undefined} onClick={() => settle(true)}>
            {open?.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
  return { ask, dialog };
}

/** A question's message that offers a download before the action, e.g. a journal before it is cleared. */
export function DownloadFirst({ text, label, onDownload }: { text: ReactNode; label: string; onDownload: () => void }) {
  return (
    <Stack gap="xs">
      <Text size="sm">{text}</Text>
      <Group>
        <Button size="xs" variant="default" onClick={onDownload}>
          {label}
        </Button>
      </Group>
    </Stack>
  );
}
