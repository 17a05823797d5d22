// zod/mini: the same checks as zod, a small part of its size in the first download.
import * as z from 'zod/mini';

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, such as https://keycloak.example.com',
});

const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.int({ error }).check(z.gte(min, { error }), z.lte(max, { error }));
};

const requiredName = (message: string) => z.string().check(z.trim(), z.minLength(1, message));

export const appConfigSchema = z.strictObject({
  /** The Keycloak server root (with /auth for Keycloak 16 and older). */
  keycloakUrl: z.pipe(
    httpUrl,
    z.transform((url: string) => url.replace(/\/+$/, '')),
  ),
  /** The realm the admin signs in to. */
  realm: requiredName('must name the realm the admins sign in to'),
  /** The dashboard's own public client in that realm. */
  clientId: requiredName("must name the dashboard's public client"),
  /** Where links into the Keycloak admin console point; defaults to keycloakUrl + /admin/. */
  adminConsoleUrl: z.optional(httpUrl),
  /** Admin requests in flight at once while a realm is read (default 4): a production Keycloak is shared. */
  readConcurrency: z.optional(wholeNumber(1, 16)),
  /**
   * Clients per request while a realm is read (default 100, from a benchmark on Keycloak's default realms cache);
   * 500 suits a Keycloak whose realms cache holds the realm, "adaptive" times one page of 500 and keeps the faster.
   */
  clientsPageSize: z.optional(
    z.union([wholeNumber(2, 1000), z.literal('adaptive')], {
      error: 'must be "adaptive" or a whole number from 2 to 1000',
    }),
  ),
});

export type AppConfig = z.output<typeof appConfigSchema>;

export interface ConfigProblem {
  summary: string;
  details: string[];
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problem: ConfigProblem };

export const CONFIG_EXAMPLE = `{
  "keycloakUrl": "https://keycloak.example.com",
  "realm": "master",
  "clientId": "audience-doctor"
}`;

const KNOWN_SETTINGS = Object.keys(appConfigSchema.def.shape).join(', ');

/** zod/mini ships no messages of its own, so each kind of issue is worded here. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const path = issue.path.join('.');
  const at = (text: string) => (path ? `${path}: ${text}` : text);
  if (issue.code === 'unrecognized_keys') {
    return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')} (known: ${KNOWN_SETTINGS})`;
  }
  if (issue.code === 'invalid_type') {
    const [key] = issue.path;
    const missing = key !== undefined && typeof raw === 'object' && raw !== null && !(key in raw);
    if (!missing && (issue.expected === 'int' || issue.expected === 'number')) return at(issue.message);
    return at(missing ? 'is missing' : `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`);
  }
  return at(issue.message);
}

export function parseConfig(text: string): ConfigResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { summary: 'config.json is not valid JSON', details: [(error as Error).message] } };
  }
  const parsed = appConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const details = parsed.error.issues.map((issue) => describeIssue(issue, raw));
  return { ok: false, problem: { summary: 'config.json has invalid settings', details } };
}

/** Fetches config.json from beside index.html, so one build serves any Keycloak. */
export async function loadConfig(url: URL): Promise<ConfigResult> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (error) {
    return {
      ok: false,
      problem: { summary: 'config.json could not be loaded', details: [`${url.href}: ${(error as Error).message}`] },
    };
  }
  if (!response.ok) {
    return {
      ok: false,
      problem: {
        summary: 'config.json could not be loaded',
        details: [`${url.href} answered HTTP ${response.status}`],
      },
    };
  }
  return parseConfig(await response.text());
}

export function adminConsoleUrl(config: AppConfig): string {
  return config.adminConsoleUrl ?? `${config.keycloakUrl}/admin/`;
}
