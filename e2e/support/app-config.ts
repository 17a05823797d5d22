import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { repoRoot } from '../keycloak/settings.ts';

/** The config.json the app ships with, to derive variants from. */
export function shippedConfig(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(repoRoot, 'public', 'config.json'), 'utf8'));
}

/** Serves the app another config.json than the one it ships with. */
export async function serveConfig(page: Page, body: string | Record<string, unknown>, status = 200) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  await page.route('**/config.json', (route) => route.fulfill({ status, contentType: 'application/json', body: text }));
}
