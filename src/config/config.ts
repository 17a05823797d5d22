import { z } from 'zod';

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, such as https://keycloak.example.com',
});

export const appConfigSchema = z.strictObject({
  /** The Keycloak server root (with /auth for Keycloak 16 and older). */
  keycloakUrl: httpUrl.transform((url) => url.replace(/\/+$/, '')),
  /** The realm the admin signs in to. */
  realm: z.string().trim().min(1, 'must name the realm the admins sign in to'),
  /** The dashboard's own public client in that realm. */
  clientId: z.string().trim().min(1, "must name the dashboard's public client"),
  /** Where links into the Keycloak admin console point; defaults to keycloakUrl + /admin/. */
  adminConsoleUrl: httpUrl.optional(),
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

export function parseConfig(text: string): ConfigResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { summary: 'config.json is not valid JSON', details: [(error as Error).message] } };
  }
  const parsed = appConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const details = parsed.error.issues.map((issue) => {
    const path = issue.path.join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
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
