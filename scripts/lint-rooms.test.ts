import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Proves that `npm run lint` (biome ci) enforces the room table in README.md "Layout": each case plants one file in a
 * copy of the project, all cases are linted in one Biome run, and each file must end with exactly the expected result.
 *
 * `source` is either an import specifier (planted as `import * as probe from '<source>'`) or a whole module.
 * `expect` is `pass` (no diagnostic at all), `room` (noRestrictedImports with the message of the file's room rule)
 * or `cycle` (noImportCycles).
 */
const cases: { file: string; source: string; expect: 'pass' | 'room' | 'cycle' }[] = [
  // src/audit: nothing but itself
  { file: 'src/audit/lint-probe-1.ts', source: '../keycloak/admin.ts', expect: 'room' },
  { file: 'src/audit/lint-probe-2.ts', source: '../../keycloak/admin.ts', expect: 'room' },
  { file: 'src/audit/lint-probe-3.ts', source: '../paths.ts', expect: 'room' },
  { file: 'src/audit/lint-probe-4.ts', source: 'react', expect: 'room' },
  { file: 'src/audit/lint-probe-5.ts', source: '@keycloak/keycloak-admin-client', expect: 'room' },
  { file: 'src/audit/lint-probe-6.ts', source: '../audit/findings.ts', expect: 'pass' },
  { file: 'src/audit/lint-probe-7.ts', source: 'zod', expect: 'pass' },

  // src/remediation: audit only; nothing React, nothing HTTP
  { file: 'src/remediation/lint-probe-1.ts', source: '../keycloak/remediation-api.ts', expect: 'room' },
  { file: 'src/remediation/lint-probe-2.ts', source: '../../keycloak/remediation-api.ts', expect: 'room' },
  { file: 'src/remediation/lint-probe-3.ts', source: '../config/config.ts', expect: 'room' },
  { file: 'src/remediation/lint-probe-4.ts', source: 'react', expect: 'room' },
  { file: 'src/remediation/lint-probe-5.ts', source: '@tanstack/react-query', expect: 'room' },
  { file: 'src/remediation/lint-probe-6.ts', source: 'keycloak-js', expect: 'room' },
  { file: 'src/remediation/lint-probe-7.ts', source: '../audit/snapshot.ts', expect: 'pass' },
  // …and from a subfolder of src/remediation (one level deeper)
  { file: 'src/remediation/write-kinds/lint-probe-1.ts', source: '../../keycloak/errors.ts', expect: 'room' },
  { file: 'src/remediation/write-kinds/lint-probe-2.ts', source: '../../features/runs/RunsPanel.tsx', expect: 'room' },
  { file: 'src/remediation/write-kinds/lint-probe-3.ts', source: 'react', expect: 'room' },
  { file: 'src/remediation/write-kinds/lint-probe-4.ts', source: '../compare.ts', expect: 'pass' },
  { file: 'src/remediation/write-kinds/lint-probe-5.ts', source: '../../audit/mappers.ts', expect: 'pass' },

  // src/keycloak: audit, config (types) and src/remediation/port.ts only
  { file: 'src/keycloak/lint-probe-1.ts', source: '../features/clients/ClientsPage.tsx', expect: 'room' },
  { file: 'src/keycloak/lint-probe-2.ts', source: '../../features/clients/ClientsPage.tsx', expect: 'room' },
  { file: 'src/keycloak/lint-probe-3.ts', source: '../remediation/plan.ts', expect: 'room' },
  { file: 'src/keycloak/lint-probe-4.ts', source: '../report/report.ts', expect: 'room' },
  {
    file: 'src/keycloak/lint-probe-5.ts',
    source: "import { parseConfig } from '../config/config.ts';\n\nexport const probe = parseConfig;",
    expect: 'room',
  },
  { file: 'src/keycloak/lint-probe-6.ts', source: '../remediation/port.ts', expect: 'pass' },
  { file: 'src/keycloak/lint-probe-7.ts', source: '../audit/snapshot.ts', expect: 'pass' },
  {
    file: 'src/keycloak/lint-probe-8.ts',
    source: "import type { AppConfig } from '../config/config.ts';\n\nexport type Probe = AppConfig;",
    expect: 'pass',
  },

  // src/report: audit only
  { file: 'src/report/lint-probe-1.ts', source: '../keycloak/snapshot.ts', expect: 'room' },
  { file: 'src/report/lint-probe-2.ts', source: '../../keycloak/snapshot.ts', expect: 'room' },
  { file: 'src/report/lint-probe-3.ts', source: 'react', expect: 'room' },
  { file: 'src/report/lint-probe-4.ts', source: '../audit/findings.ts', expect: 'pass' },

  // src/config: no other app folder
  { file: 'src/config/lint-probe-1.ts', source: '../audit/findings.ts', expect: 'room' },
  { file: 'src/config/lint-probe-2.ts', source: '../../audit/findings.ts', expect: 'room' },
  { file: 'src/config/lint-probe-3.ts', source: 'zod', expect: 'pass' },

  // src/features/<name>: components, keycloak, audit, remediation, report, config, src/paths.ts; never another feature
  { file: 'src/features/clients/lint-probe-1.ts', source: '../fix-wizard/FixWizard.tsx', expect: 'room' },
  { file: 'src/features/clients/lint-probe-2.ts', source: '../../features/fix-wizard/FixWizard.tsx', expect: 'room' },
  { file: 'src/features/clients/lint-probe-3.ts', source: '../../app/router.tsx', expect: 'room' },
  { file: 'src/features/clients/lint-probe-4.ts', source: '../../cli/main.ts', expect: 'room' },
  { file: 'src/features/clients/lint-probe-5.ts', source: '../../main.tsx', expect: 'room' },
  // a detour through an allowed folder still counts as where it ends up
  {
    file: 'src/features/clients/lint-probe-6.ts',
    source: '../../audit/../features/runs/RunsPanel.tsx',
    expect: 'room',
  },
  { file: 'src/features/clients/lint-probe-7.ts', source: '../../keycloak/remediation-api.ts', expect: 'pass' },
  { file: 'src/features/clients/lint-probe-8.ts', source: '../../paths.ts', expect: 'pass' },
  { file: 'src/features/clients/lint-probe-9.ts', source: '../../components/ErrorPanel.tsx', expect: 'pass' },

  // src/components: audit types only
  { file: 'src/components/lint-probe-1.ts', source: '../keycloak/errors.ts', expect: 'room' },
  { file: 'src/components/lint-probe-2.ts', source: '../../keycloak/errors.ts', expect: 'room' },
  { file: 'src/components/lint-probe-3.ts', source: '../audit/audit-realm.ts', expect: 'room' },
  { file: 'src/components/lint-probe-4.ts', source: '../audit/findings.ts', expect: 'pass' },

  // src/app: everything
  { file: 'src/app/lint-probe-1.ts', source: '../features/clients/ClientsPage.tsx', expect: 'pass' },
  { file: 'src/app/lint-probe-2.ts', source: '../keycloak/admin.ts', expect: 'pass' },

  // src/cli: audit, keycloak, remediation, report, config; never features, components, app, React or Mantine
  { file: 'src/cli/lint-probe-1.ts', source: '../features/clients/ClientsPage.tsx', expect: 'room' },
  { file: 'src/cli/lint-probe-2.ts', source: '../../features/clients/ClientsPage.tsx', expect: 'room' },
  { file: 'src/cli/lint-probe-3.ts', source: '../components/ErrorPanel.tsx', expect: 'room' },
  { file: 'src/cli/lint-probe-4.ts', source: '@mantine/core', expect: 'room' },
  { file: 'src/cli/lint-probe-5.ts', source: '../keycloak/admin.ts', expect: 'pass' },
  { file: 'src/cli/lint-probe-6.ts', source: '../remediation/plan.ts', expect: 'pass' },

  // No import cycles, type-only ones included
  {
    file: 'src/report/lint-probe-cycle-a.ts',
    source: "import { b } from './lint-probe-cycle-b.ts';\n\nexport const a = (): unknown => b;",
    expect: 'cycle',
  },
  {
    file: 'src/report/lint-probe-cycle-b.ts',
    source: "import { a } from './lint-probe-cycle-a.ts';\n\nexport const b = (): unknown => a;",
    expect: 'cycle',
  },
  {
    file: 'src/audit/lint-probe-type-cycle-a.ts',
    source: "import type { B } from './lint-probe-type-cycle-b.ts';\n\nexport type A = { b?: B };",
    expect: 'cycle',
  },
  {
    file: 'src/audit/lint-probe-type-cycle-b.ts',
    source: "import type { A } from './lint-probe-type-cycle-a.ts';\n\nexport type B = { a?: A };",
    expect: 'cycle',
  },
];

const expectedCategory = {
  room: 'lint/style/noRestrictedImports',
  cycle: 'lint/suspicious/noImportCycles',
} as const;

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string | null; start: { line: number } };
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let copy = '';
const found = new Map<string, Diagnostic[]>();

/** `src/features/clients/x.ts` → `src/features/<name>`, `src/audit/x.ts` → `src/audit`: how the room messages start. */
function roomOf(file: string): string {
  return file.startsWith('src/features/') ? 'src/features/<name>' : file.split('/').slice(0, 2).join('/');
}

function moduleText(source: string): string {
  return source.includes(' ')
    ? `${source}\n`
    : `import * as probe from '${source}';\n\nexport const probes = [probe];\n`;
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'lint-rooms-'));
  for (const entry of ['biome.json', '.gitignore', 'package.json', 'src']) {
    cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  for (const { file, source } of cases) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    writeFileSync(join(copy, file), moduleText(source));
  }
  // The json reporter is marked experimental; Biome's version is pinned in package.json.
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'biome'),
    ['ci', '--colors=off', '--reporter=json', '--reporter-file=lint-report.json', '.'],
    { cwd: copy, encoding: 'utf8' },
  );
  if (run.status !== 1) throw new Error(`biome ci exited with ${run.status}:\n${run.stderr}\n${run.stdout}`);
  const report = JSON.parse(readFileSync(join(copy, 'lint-report.json'), 'utf8')) as { diagnostics: Diagnostic[] };
  for (const diagnostic of report.diagnostics) {
    const path = diagnostic.location.path ?? '';
    found.set(path, [...(found.get(path) ?? []), diagnostic]);
  }
}, 60_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('npm run lint enforces the room table', () => {
  it.each(cases)('$file importing $source: $expect', ({ file, expect: outcome }) => {
    const diagnostics = (found.get(file) ?? []).map((d) => ({ category: d.category, message: d.message }));
    if (outcome === 'pass') {
      expect(diagnostics).toEqual([]);
      return;
    }
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const diagnostic of diagnostics) {
      expect(diagnostic.category).toBe(expectedCategory[outcome]);
      if (outcome === 'room') expect(diagnostic.message).toMatch(new RegExp(`^Room ${roomOf(file)}:`));
    }
  });

  it('lets src/components import only audit modules that export nothing at run time', async () => {
    // Components may import src/audit/findings.ts and snapshot.ts only; these must stay type-only modules.
    const modules = [await import('../src/audit/findings.ts'), await import('../src/audit/snapshot.ts')];
    for (const module of modules) expect(Object.keys(module)).toEqual([]);
  });
});
