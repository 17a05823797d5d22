import type { OpenConfirmModal } from '@mantine/modals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { confirmAction } from './confirm.ts';

/** @mantine/modals opens a dialog with a window event that ModalsProvider listens to: this stands in for it. */
let opened: OpenConfirmModal[];
beforeEach(() => {
  opened = [];
  const window = new EventTarget();
  window.addEventListener('mantine-modals:openConfirmModal', (event) => {
    opened.push((event as CustomEvent<OpenConfirmModal>).detail);
  });
  vi.stubGlobal('window', window);
});
afterEach(() => vi.unstubAllGlobals());

const ask = (danger?: boolean) =>
  confirmAction({ title: 'Roll back?', message: 'The realm goes back.', confirmLabel: 'Roll back', danger });

/** Settles on the next turn, or reports that it has not. */
const settled = (promise: Promise<boolean>) =>
  Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve('pending'), 0))]);

describe('confirmAction', () => {
  it('opens one confirm dialog with the title, message and labels', async () => {
    const answer = ask();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      title: 'Roll back?',
      children: 'The realm goes back.',
      labels: { confirm: 'Roll back', cancel: 'Cancel' },
      confirmProps: {},
    });
    expect(await settled(answer)).toBe('pending');
  });

  it('colours the confirm button red for a dangerous action', () => {
    ask(true);
    expect(opened[0]?.confirmProps).toEqual({ color: 'red' });
  });

  it('takes another cancel label', () => {
    confirmAction({ title: 'T', message: 'M', confirmLabel: 'Go', cancelLabel: 'Keep it' });
    expect(opened[0]?.labels).toEqual({ confirm: 'Go', cancel: 'Keep it' });
  });

  it('resolves true on confirm, even though the dialog then closes', async () => {
    const answer = ask();
    opened[0]?.onConfirm?.();
    opened[0]?.onClose?.();
    expect(await settled(answer)).toBe(true);
  });

  it('resolves false on cancel', async () => {
    const answer = ask();
    opened[0]?.onCancel?.();
    opened[0]?.onClose?.();
    expect(await settled(answer)).toBe(false);
  });

  it('resolves false when the dialog is closed without an answer', async () => {
    const answer = ask();
    opened[0]?.onClose?.();
    expect(await settled(answer)).toBe(false);
  });
});
