import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';

export interface ConfirmActionOptions {
  /** The dialog's title, and so its accessible name. */
  title: string;
  /** What will happen, and what it cannot take back. */
  message: ReactNode;
  /** The confirm button's label: the action itself ("Undo this run"), never a bare "OK". */
  confirmLabel: string;
  /** The cancel button's label; "Cancel" unless given. */
  cancelLabel?: string;
  /** A red confirm button, for an action that removes or overwrites something. */
  danger?: boolean;
}

/**
 * Asks before an action, in a modal dialog; resolves true when the user confirms, false when they
 * cancel or close it (Escape, the close button, a click outside). Needs the ModalsProvider that
 * UiProviders mounts: without it the dialog never opens and the promise never settles.
 *
 * @example
 * if (await confirmAction({ title: 'Undo this run?', message: 'Its 3 writes are reverted.', confirmLabel: 'Undo this run', danger: true })) {
 *   undo.mutate(run.id);
 * }
 */
export function confirmAction({
  title,
  message,
  confirmLabel,
  cancelLabel = 'Cancel',
  danger = false,
}: ConfirmActionOptions): Promise<boolean> {
  return new Promise((resolve) => {
    // Confirm and cancel each close the dialog afterwards: the first answer is the one that counts.
    modals.openConfirmModal({
      title,
      children: message,
      labels: { confirm: confirmLabel, cancel: cancelLabel },
      confirmProps: danger ? { color: 'red' } : {},
      onConfirm: () => resolve(true),
      onCancel: () => resolve(false),
      onClose: () => resolve(false),
    });
  });
}
