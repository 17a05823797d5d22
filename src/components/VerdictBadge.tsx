import { Badge } from '@mantine/core';
import type { Verdict } from '../audit/findings.ts';

const looks: Record<Verdict, { color: string; label: string }> = {
  ok: { color: 'green', label: 'OK' },
  missing: { color: 'red', label: 'Missing' },
  conditional: { color: 'yellow', label: 'Conditional' },
  unpredictable: { color: 'grape', label: 'Unpredictable' },
  'not-applicable': { color: 'gray', label: 'Not applicable' },
};

export const verdictLabel = (verdict: Verdict) => looks[verdict].label;

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const { color, label } = looks[verdict];
  return (
    <Badge color={color} variant="light" data-verdict={verdict}>
      {label}
    </Badge>
  );
}
