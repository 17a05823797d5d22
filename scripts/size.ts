import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../e2e/keycloak/settings.ts';

/** First-load budget: the JS and CSS that index.html makes the browser fetch before anything else. */
export const FIRST_LOAD_BUDGET_KB = 250;

const dist = resolve(repoRoot, 'dist');
const gzipKb = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1000;

function firstLoadAssets(html: string): string[] {
  const assets = new Set<string>();
  for (const match of html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)) {
    if (match[1]) assets.add(match[1]);
  }
  return [...assets];
}

function main(): void {
  let html: string;
  try {
    html = readFileSync(join(dist, 'index.html'), 'utf8');
  } catch {
    console.error('error: dist/index.html is missing; run "npm run build" first');
    process.exit(2);
  }
  const first = firstLoadAssets(html);
  const lazy = readdirSync(join(dist, 'assets'))
    .map((name) => `assets/${name}`)
    .filter((file) => /\.(js|css)$/.test(file) && !first.includes(file));
  const firstTotal = first.reduce((sum, file) => sum + gzipKb(file), 0);

  console.log('First load (gzip):');
  for (const file of first) console.log(`  ${file.padEnd(48)} ${gzipKb(file).toFixed(1).padStart(7)} kB`);
  console.log(`  ${'total'.padEnd(48)} ${firstTotal.toFixed(1).padStart(7)} kB (budget ${FIRST_LOAD_BUDGET_KB} kB)`);
  console.log('Loaded later, on demand (gzip):');
  for (const file of lazy) console.log(`  ${file.padEnd(48)} ${gzipKb(file).toFixed(1).padStart(7)} kB`);
  if (firstTotal > FIRST_LOAD_BUDGET_KB) {
    console.error(`error: the first load is ${firstTotal.toFixed(1)} kB, over the ${FIRST_LOAD_BUDGET_KB} kB budget`);
    process.exit(1);
  }
}

main();
