import { ACCESS_TOKEN_FLAG, AUDIENCE_MAPPER, LIGHTWEIGHT_FLAG } from '../audit/mappers.ts';
import type { ClientTarget, MapperBody, Plan, ScopeTarget, StoredMapper, Write } from './plan.ts';

// ---------------------------------------------------------------------------------------------- sentences

export interface StepLine {
  text: string;
  /** What puts it back. */
  undo: string;
  clientIds: string[];
}

/** The admin console's labels, so that a sentence names the switch the admin will look for. */
const CONFIG_LABELS: Readonly<Record<string, string>> = {
  'included.client.audience': 'Included Client Audience',
  'included.custom.audience': 'Included Custom Audience',
  [ACCESS_TOKEN_FLAG]: 'Add to access token',
  [LIGHTWEIGHT_FLAG]: 'Add to lightweight access token',
  'introspection.token.claim': 'Add to token introspection',
  'id.token.claim': 'Add to ID token',
  'userinfo.token.claim': 'Add to userinfo',
};

const label = (key: string) => `"${CONFIG_LABELS[key] ?? key}"`;
const isFlagValue = (value: string | undefined) => value === undefined || value === 'true' || value === 'false';
const flagWord = (value: string | undefined) => (value === 'true' ? 'on' : value === 'false' ? 'off' : '(not set)');
const valueWord = (value: string | undefined) => (value === undefined ? '(not set)' : `"${value}"`);

/** "a", "a and b", "a, b and c". */
function joined(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What an Audience mapper puts where, e.g. `adds orders-web to access tokens`. */
function audienceEffect(mapper: MapperBody | StoredMapper): string | undefined {
  if (mapper.protocolMapper !== AUDIENCE_MAPPER) return undefined;
  const config = mapper.config ?? {};
  const audience = config['included.client.audience'] || config['included.custom.audience'];
  if (!audience) return undefined;
  if (config[ACCESS_TOKEN_FLAG] !== 'true') return `adds ${audience} to no access token`;
  const lightweight = config[LIGHTWEIGHT_FLAG] === 'true' ? ', lightweight ones too' : '';
  return `adds ${audience} to access tokens${lightweight}`;
}

function mapperPhrase(mapper: MapperBody): string {
  const effect = audienceEffect(mapper);
  return mapper.protocolMapper === AUDIENCE_MAPPER
    ? `"${mapper.name}"${effect ? ` (${effect})` : ''}`
    : `"${mapper.name}" (${mapper.protocolMapper})`;
}

/** Which settings an update changes, old → new; switches that only go on (or off) read as one verb. */
function updateSentence(mapper: StoredMapper, replaces: StoredMapper, where: string): string {
  const before = replaces.config ?? {};
  const after = mapper.config ?? {};
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter(
    (key) => before[key] !== after[key],
  );
  const turnedOn = keys.filter((key) => isFlagValue(before[key]) && after[key] === 'true');
  const turnedOff = keys.filter((key) => before[key] === 'true' && isFlagValue(after[key]));
  const renamed = mapper.name !== replaces.name;
  const subject = `mapper "${replaces.name}" of ${where}`;
  if (!renamed && keys.length > 0 && turnedOn.length === keys.length) {
    return `Turn on ${joined(turnedOn.map(label))} in ${subject}`;
  }
  if (!renamed && keys.length > 0 && turnedOff.length === keys.length) {
    return `Turn off ${joined(turnedOff.map(label))} in ${subject}`;
  }
  const changes = keys.map((key) =>
    isFlagValue(before[key]) && isFlagValue(after[key])
      ? `${label(key)} ${flagWord(before[key])} → ${flagWord(after[key])}`
      : `${label(key)} ${valueWord(before[key])} → ${valueWord(after[key])}`,
  );
  if (renamed) changes.unshift(`name "${replaces.name}" → "${mapper.name}"`);
  if (changes.length === 0) return `Write ${subject} again, unchanged`;
  return `Change ${subject}: ${changes.join(', ')}`;
}

const clientWords = (client: ClientTarget) => `client "${client.clientId}"`;

/** One sentence for one write. */
export function describeWrite(write: Write): string {
  switch (write.kind) {
    case 'create-client-mapper': {
      const effect = audienceEffect(write.mapper);
      const what = write.mapper.protocolMapper === AUDIENCE_MAPPER ? 'Audience mapper' : 'mapper';
      return `Add ${what} "${write.mapper.name}" to ${clientWords(write.client)}${effect ? ` (${effect})` : ''}`;
    }
    case 'delete-client-mapper':
      return `Delete mapper "${write.mapperName}" of ${clientWords(write.client)}`;
    case 'update-client-mapper':
      return updateSentence(write.mapper, write.replaces, clientWords(write.client));
    case 'create-scope': {
      const mappers = write.scope.protocolMappers;
      if (mappers.length === 0) return `Create client scope "${write.scope.name}" without mappers`;
      const allAudience = mappers.every((mapper) => mapper.protocolMapper === AUDIENCE_MAPPER);
      const noun = `${allAudience ? 'Audience mapper' : 'mapper'}${mappers.length > 1 ? 's' : ''}`;
      return `Create client scope "${write.scope.name}" with ${noun} ${joined(mappers.map(mapperPhrase))}`;
    }
    case 'delete-scope':
      return `Delete client scope "${write.scope.name}"`;
    case 'update-scope-mapper':
      return updateSentence(write.mapper, write.replaces, `client scope "${write.scope.name}"`);
    case 'attach-default-scope':
      return `Attach client scope "${write.scope.name}" to "${write.client.clientId}" as a default scope`;
    case 'attach-optional-scope':
      return `Attach client scope "${write.scope.name}" to "${write.client.clientId}" as an optional scope`;
    case 'detach-default-scope':
      return `Remove the default link of scope "${write.scope.name}" from "${write.client.clientId}"`;
    case 'detach-optional-scope':
      return `Remove the optional link of scope "${write.scope.name}" from "${write.client.clientId}"`;
  }
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

// ---------------------------------------------------------------------------------------------- REST

export interface RestCall {
  method: 'POST' | 'PUT' | 'DELETE';
  /** The full URL: the Keycloak URL (with any context path such as /auth) and the Admin API path. */
  path: string;
  body?: unknown;
}

const segment = encodeURIComponent;
/** Ids that exist only once an earlier call of the same run has answered. */
const scopeSegment = (scope: ScopeTarget) => (scope.id ? segment(scope.id) : `{id of client scope "${scope.name}"}`);
const withoutId = ({ id: _id, ...rest }: StoredMapper) => rest;

function restCall(write: Write, realmBase: string): RestCall {
  const client = 'client' in write ? `${realmBase}/clients/${segment(write.client.id)}` : '';
  switch (write.kind) {
    case 'create-client-mapper':
      return { method: 'POST', path: `${client}/protocol-mappers/models`, body: write.mapper };
    case 'delete-client-mapper': {
      const mapper = `{id of mapper "${write.mapperName}" of client "${write.client.clientId}"}`;
      return { method: 'DELETE', path: `${client}/protocol-mappers/models/${mapper}` };
    }
    case 'update-client-mapper':
      // Keycloak answers 500 unless the body carries the same id as the path.
      return {
        method: 'PUT',
        path: `${client}/protocol-mappers/models/${segment(write.mapper.id)}`,
        body: { id: write.mapper.id, ...withoutId(write.mapper) },
      };
    case 'create-scope':
      return { method: 'POST', path: `${realmBase}/client-scopes`, body: write.scope };
    case 'delete-scope':
      return { method: 'DELETE', path: `${realmBase}/client-scopes/${scopeSegment(write.scope)}` };
    case 'update-scope-mapper':
      return {
        method: 'PUT',
        path: `${realmBase}/client-scopes/${scopeSegment(write.scope)}/protocol-mappers/models/${segment(write.mapper.id)}`,
        body: { id: write.mapper.id, ...withoutId(write.mapper) },
      };
    case 'attach-default-scope':
      return { method: 'PUT', path: `${client}/default-client-scopes/${scopeSegment(write.scope)}` };
    case 'detach-default-scope':
      return { method: 'DELETE', path: `${client}/default-client-scopes/${scopeSegment(write.scope)}` };
    case 'attach-optional-scope':
      return { method: 'PUT', path: `${client}/optional-client-scopes/${scopeSegment(write.scope)}` };
    case 'detach-optional-scope':
      return { method: 'DELETE', path: `${client}/optional-client-scopes/${scopeSegment(write.scope)}` };
  }
}

const realmBase = (plan: Plan, keycloakUrl: string) =>
  `${keycloakUrl.replace(/\/+$/, '')}/admin/realms/${segment(plan.realm)}`;

/** The Admin API calls that apply the plan, in order. */
export function restCalls(plan: Plan, keycloakUrl: string): RestCall[] {
  const base = realmBase(plan, keycloakUrl);
  return plan.steps.map((step) => restCall(step.write, base));
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

// ---------------------------------------------------------------------------------------------- kcadm.sh

/** `value` as one bash word that expands to exactly itself: single quotes, and ' as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * JSON in plain ASCII: kcadm.sh (Java) decodes its arguments in the locale's charset, so anything
 * else is escaped as \uXXXX, which every JSON reader decodes the same way.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Text that stays on one comment line whatever it holds. */
const commentValue = (value: string) => JSON.stringify(value);

const NON_ASCII = /[\u0080-\uffff]/;

const PRELUDE = `kc() {
  if [[ -n "\${KCADM_CONFIG:-}" ]]; then
    "$KCADM" "$@" -r "$REALM" --config "$KCADM_CONFIG"
  else
    "$KCADM" "$@" -r "$REALM"
  fi
}

fail() {
  printf '%s\\n' "$*" >&2
  exit 1
}

# Reads "id,value" rows and prints the id of the row whose value is exactly $1 (ids hold no comma).
pick_id() {
  local line
  while IFS= read -r line; do
    if [[ "\${line#*,}" == "$1" ]]; then
      printf '%s\\n' "\${line%%,*}"
      return 0
    fi
  done
  return 1
}

client_uuid() {
  local rows
  rows=$(kc get clients -q "clientId=$1" --fields id,clientId --format csv --noquotes) || return 1
  pick_id "$1" <<<"$rows" || fail "Realm $REALM has no client with clientId: $1"
}

scope_id() {
  local rows
  rows=$(kc get client-scopes --fields id,name --format csv --noquotes) || return 1
  pick_id "$1" <<<"$rows" || fail "Realm $REALM has no client scope named: $1"
}

# $1: clients/<uuid> or client-scopes/<id>; $2: the mapper's name.
mapper_id() {
  local rows
  rows=$(kc get "$1/protocol-mappers/models" --fields id,name --format csv --noquotes) || return 1
  pick_id "$2" <<<"$rows" || fail "No mapper named $2 in $1 of realm $REALM"
}

# A mapper PUT must carry the mapper's id in its body as well (Keycloak answers 500 otherwise).
with_id() {
  printf '{"id":"%s",%s' "$1" "\${2:1}"
}

step() {
  printf '[%s/%s] %s\\n' "$1" "$2" "$3"
}`;

const LOCALE_CHECK = `# kcadm.sh reads arguments in the locale's charset, and some names here are not ASCII.
case "\${LC_ALL:-\${LC_CTYPE:-\${LANG:-}}}" in
  *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;
  *) fail 'Run this script in a UTF-8 locale, for example: LC_ALL=C.UTF-8 bash <script>' ;;
esac`;

/** Bash variables for the ids of one realm copy, named in order of first use. */
class Names {
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
    return name;
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
}

function scriptLines(write: Write, names: Names): string[] {
  const lines: string[] = [];
  const client = 'client' in write ? `clients/$${names.client(write.client)}` : '';
  const mapperLookup = (container: string, mapperName: string) => {
    names.lookedUpValues.push(mapperName);
    return `MAPPER_ID=$(mapper_id "${container}" ${shellQuote(mapperName)})`;
  };
  const update = (container: string, mapper: StoredMapper, replaces: StoredMapper) => [
    mapperLookup(container, replaces.name),
    `kc update "${container}/protocol-mappers/models/$MAPPER_ID" -n -b "$(with_id "$MAPPER_ID" ${shellQuote(asciiJson(withoutId(mapper)))})"`,
  ];
  switch (write.kind) {
    case 'create-client-mapper':
      lines.push(`kc create "${client}/protocol-mappers/models" -b ${shellQuote(asciiJson(write.mapper))}`);
      break;
    case 'delete-client-mapper':
      lines.push(mapperLookup(client, write.mapperName), `kc delete "${client}/protocol-mappers/models/$MAPPER_ID"`);
      break;
    case 'update-client-mapper':
      lines.push(...update(client, write.mapper, write.replaces));
      break;
    case 'create-scope': {
      const variable = names.newScope(write.scope.name);
      lines.push(`${variable}=$(kc create client-scopes -i -b ${shellQuote(asciiJson(write.scope))})`);
      break;
    }
    case 'delete-scope':
      lines.push(`kc delete "client-scopes/$${names.scope(write.scope, lines)}"`);
      break;
    case 'update-scope-mapper':
      lines.push(...update(`client-scopes/$${names.scope(write.scope, lines)}`, write.mapper, write.replaces));
      break;
    case 'attach-default-scope':
    case 'attach-optional-scope':
    case 'detach-default-scope':
    case 'detach-optional-scope': {
      const scope = names.scope(write.scope, lines);
      const list = write.kind.endsWith('default-scope') ? 'default-client-scopes' : 'optional-client-scopes';
      // The link PUT has no body; kcadm.sh then sends it as it is, without reading first.
      const verb = write.kind.startsWith('attach') ? 'update' : 'delete';
      lines.push(`kc ${verb} "${client}/${list}/$${scope}"`);
      break;
    }
  }
  return lines;
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
    ...scriptLines(step.write, names),
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
