import { describePlan } from './render-human.ts';
import type { Plan, ScopeTarget } from './types.ts';
import { kindOf } from './write-kinds/index.ts';
import type { RestCall, RestPaths } from './write-kinds/kind.ts';

export type { RestCall } from './write-kinds/kind.ts';

const segment = encodeURIComponent;
/** Ids that exist only once an earlier call of the same run has answered. */
const scopeSegment = (scope: ScopeTarget) => (scope.id ? segment(scope.id) : `{id of client scope "${scope.name}"}`);

function paths(plan: Plan, keycloakUrl: string): RestPaths {
  const realm = `${keycloakUrl.replace(/\/+$/, '')}/admin/realms/${segment(plan.realm)}`;
  return { realm, client: (client) => `${realm}/clients/${segment(client.id)}`, scope: scopeSegment };
}

/** The Admin API calls that apply the plan, in order. */
export function restCalls(plan: Plan, keycloakUrl: string): RestCall[] {
  const base = paths(plan, keycloakUrl);
  return plan.steps.map(({ write }) => kindOf(write).rest(write, base));
}

/** The calls as text an admin can read or replay with any HTTP client. */
export function restCallsText(plan: Plan, keycloakUrl: string): string {
  const calls = restCalls(plan, keycloakUrl);
  const lines = describePlan(plan);
  const blocks = calls.map((call, index) => {
    const head = [
      `# ${index + 1}. ${lines[index]?.text ?? ''}`.replace(/[\r\n]+/g, ' '),
      `${call.method} ${call.path}`,
    ];
    if (call.body === undefined) return head.join('\n');
    return [...head, 'Content-Type: application/json', '', JSON.stringify(call.body, null, 2)].join('\n');
  });
  const intro = [
    `# ${calls.length} Admin API call${calls.length === 1 ? '' : 's'} for realm "${plan.realm}" (run ${plan.runId}), in this order.`,
    '# Each needs "Authorization: Bearer <access token>" of an admin with manage-clients.',
  ];
  if (calls.some((call) => call.path.includes('{id of client scope'))) {
    intro.push(
      '# {id of client scope "…"} is the last path segment of the Location header of the POST that creates it.',
    );
  }
  return `${[intro.join('\n'), ...blocks].join('\n\n')}\n`;
}
