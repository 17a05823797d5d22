import { Badge, DEFAULT_THEME, getContrastColor, getThemeColor } from '@mantine/core';
import type { ComponentProps, CSSProperties } from 'react';
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

/** The colours Mantine's filled Badge with autoContrast would give: its background, and black or white on it. */
export function filledBadgeColors(color: string): CSSProperties {
  return {
    '--badge-bg': getThemeColor(color, DEFAULT_THEME),
    '--badge-color': getContrastColor({ color, theme: DEFAULT_THEME, autoContrast: true }),
  } as CSSProperties;
}

const colorsByVerdict = Object.fromEntries(
  Object.entries(looks).map(([verdict, { color }]) => [verdict, filledBadgeColors(color)]),
) as Record<Verdict, CSSProperties>;

/**
 * Mantine's filled Badge drawn on a plain element with its classes: the clients table shows one or two per row,
 * and on 10,000 clients the Badge components took a measurable share of every sort's render.
 */
export function PlainBadge(props: ComponentProps<'span'> & { style: CSSProperties }) {
  // A Tooltip around it passes its ref and handlers in the props.
  return <span {...props} className={Badge.classes.root} data-variant="filled" />;
}

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <PlainBadge data-verdict={verdict} style={colorsByVerdict[verdict]}>
      {looks[verdict].label}
    </PlainBadge>
  );
}
