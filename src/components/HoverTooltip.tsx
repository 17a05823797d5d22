import { Tooltip } from '@mantine/core';
import { cloneElement, type ReactElement, useState } from 'react';

interface HoverTarget {
  onMouseEnter?: () => void;
  onMouseLeave?: () => void;
}

/**
 * A Mantine Tooltip that exists only once its target was hovered: the clients table shows one per row with
 * problems, and 50 Tooltips (each with its floating-position and hover hooks) were the largest component
 * cost of the table's first render.
 */
export function HoverTooltip({ label, children }: { label: string; children: ReactElement<HoverTarget> }) {
  const [hovered, setHovered] = useState(false);
  const [used, setUsed] = useState(false);
  const target = cloneElement(children, {
    onMouseEnter: () => {
      setUsed(true);
      setHovered(true);
    },
    onMouseLeave: () => setHovered(false),
  });
  if (!used) return target;
  return (
    <Tooltip label={label} opened={hovered} multiline w={360}>
      {target}
    </Tooltip>
  );
}
