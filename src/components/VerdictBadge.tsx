import { Badge } from '@mantine/core';
import type { Verdict } from '../audit/findings.ts';

const looks: Record<Verdict, { color: string; label: string }> = {
  // Filled, with shades (or autoContrast) that keep the label at WCAG AA contrast.
  ok: { color: 'green.3', label: 'OK' },
  missing: { color: 'red.8', label: 'Missing' },
  conditional: { color: 'yellow.4', label: 'Conditional' },
  unpredictable: { color: 'grape.8', label: 'Unpredictable' },
  'not-applicable': { color: 'gray.7', label: 'Not applicable' },
  'cannot-judge': { color: 'blue.8', label: 'Cannot judge' },
};

export const verdictLabel = (verdict: Verdict) => looks[verdict].label;

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const { color, label } = looks[verdict];
  return (
    <Badge color={color} variant="filled" autoContrast data-verdict={verdict}>
      {label}
    </Badge>
  );
}
