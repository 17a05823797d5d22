import { LOCALE_CHECK, PRELUDE } from './kcadm-prelude.ts';
import { describePlan } from './render-human.ts';
import { shellQuote } from './shell.ts';
import type { ClientTarget, Plan, ScopeTarget } from './types.ts';
import { kindOf } from './write-kinds/index.ts';
import type { ScriptNames } from './write-kinds/kind.ts';

export { asciiJson, shellQuote } from './shell.ts';

/** Text that stays on one comment line whatever it holds. */
const commentValue = (value: string) => JSON.stringify(value);

const NON_ASCII = /[\u0080-\uffff]/;

/** Bash variables for the ids of one realm copy, named in order of first use. */
class Names implements ScriptNames {
  readonly lookups: string[] = [];
  readonly lookedUpValues: string[] = [];
  private readonly clients = new Map<string, string>();
  private readonly scopes = new Map<string, string>();

  /** Clients are looked up once, before the first write: a missing one stops the script before any change. */
  client(client: ClientTarget): string {
    let name = this.clients.get(client.clientId);
    if (!name) {
      name = `CLIENT_${this.clients.size + 1}`;
      this.clients.set(client.clientId, name);
      this.lookups.push(`${name}=$(client_uuid ${shellQuote(client.clientId)})`);
      this.lookedUpValues.push(client.clientId);
    }
    return `clients/$${name}`;
  }

  /** A scope that exists is looked up before the first write too; a new one gets its id when created. */
  scope(scope: ScopeTarget, before: string[]): string {
    let name = this.scopes.get(scope.name);
    if (!name) {
      name = this.newScope(scope.name);
      const lookup = `${name}=$(scope_id ${shellQuote(scope.name)})`;
      // Without an id the plan expects an earlier step to create it; then it can only be found just before use.
      if (scope.id) this.lookups.push(lookup);
      else before.push(lookup);
      this.lookedUpValues.push(scope.name);
    }
    return name;
  }

  newScope(scopeName: string): string {
    const name = `SCOPE_${this.scopes.size + 1}`;
    this.scopes.set(scopeName, name);
    return name;
  }

  mapperLookup(container: string, mapperName: string): string {
    this.lookedUpValues.push(mapperName);
    return `MAPPER_ID=$(mapper_id "${container}" ${shellQuote(mapperName)})`;
  }
}

/**
 * A bash script that applies the plan with the distribution's kcadm.sh. It finds every client, scope and
 * mapper by clientId or name, so it also fixes another copy of the realm, where the ids differ.
 */
export function kcadmScript(plan: Plan, keycloakUrl = 'https://keycloak.example.com'): string {
  const names = new Names();
  const descriptions = describePlan(plan);
  const total = plan.steps.length;
  const body = plan.steps.flatMap((step, index) => [
    '',
    `step ${index + 1} ${total} ${shellQuote(descriptions[index]?.text ?? '')}`,
    ...kindOf(step.write).kcadm(step.write, names),
  ]);
  const header = [
    '#!/usr/bin/env bash',
    `# Audience Doctor, run ${commentValue(plan.runId)}: strategy ${plan.strategy} for realm ${commentValue(plan.realm)}.`,
    '# Sign in with kcadm.sh first, for example:',
    `#   kcadm.sh config credentials --server ${commentValue(keycloakUrl).slice(1, -1)} --realm master --user admin`,
    `# Usage: bash <this file> [realm]   (the realm defaults to ${commentValue(plan.realm)}; name another copy to fix that one)`,
    '# KCADM is the kcadm.sh to run (default: the one on the PATH); KCADM_CONFIG, when set, is passed as --config.',
    '# Clients, scopes and mappers are found by clientId and name, so ids may differ from the audited realm.',
    'set -euo pipefail',
    '',
    `KCADM="\${KCADM:-kcadm.sh}"`,
    `REALM="\${1:-}"`,
    `if [[ -z "$REALM" ]]; then REALM=${shellQuote(plan.realm)}; fi`,
    '',
    PRELUDE,
  ];
  const checks = names.lookedUpValues.some((value) => NON_ASCII.test(value)) ? ['', LOCALE_CHECK] : [];
  const lookups =
    names.lookups.length > 0 ? ['', '# Everything that exists already, found first.', ...names.lookups] : [];
  const done =
    total === 0
      ? "printf 'Nothing to write.\\n'"
      : `printf '%s\\n' ${shellQuote(`Done: ${total} write${total === 1 ? '' : 's'} in realm `)}"$REALM"`;
  return `${[...header, ...checks, ...lookups, ...body, '', done].join('\n')}\n`;
}
