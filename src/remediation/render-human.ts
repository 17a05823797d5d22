import type { Plan, Write } from './types.ts';
import { describeWrite } from './write-kinds/index.ts';

export { describeWrite } from './write-kinds/index.ts';

export interface StepLine {
  text: string;
  /** What puts it back. */
  undo: string;
  clientIds: string[];
}

/** The plan as sentences, one per step, each with the sentence that undoes it. */
export function describePlan(plan: Plan): StepLine[] {
  // A cross-client link is there for another client's audience, which the link itself does not show.
  const purpose = (write: Write) =>
    plan.audience !== undefined && write.kind === 'attach-default-scope'
      ? `, so its access tokens carry ${plan.audience}`
      : '';
  return plan.steps.map((step) => ({
    text: `${describeWrite(step.write)}${purpose(step.write)}`,
    undo: describeWrite(step.undo),
    clientIds: [...step.clientIds],
  }));
}
