import { readFileSync } from 'node:fs';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { expect, type Page, type Route, test } from '@playwright/test';
import { importDemoCopy } from './keycloak/fixtures.ts';
import { isAdminWrite, masterAdmin } from './support/admin-api.ts';
import { serveConfig, shippedConfig } from './support/app-config.ts';
import { clientRow } from './support/dashboard.ts';
import { demoUser } from './support/demo.ts';
import { signInAs } from './support/keycloak-login.ts';
import { realmState } from './support/realm-state.ts';
import { fixSelected, wizard } from './support/wizard.ts';

// The journal of a run must fit in the browser's storage: refused before it starts, stopped cleanly if a save fails.
const REALM = 'quota-copy';
/** Chromium's localStorage quota in characters (src/remediation/journal-size.ts says how it was measured). */
const QUOTA = 5 * 1024 * 1024;
const FILLER = 'e2e-filler';

let admin: KcAdminClient;

test.beforeAll(async () => {
  admin = await masterAdmin();
});

test.afterAll(async () => {
  await admin.realms.del({ realm: REALM }).catch(() => undefined);
});

async function signIn(page: Page) {
  await importDemoCopy(admin, REALM);
  await serveConfig(page, { ...shippedConfig(), realm: REALM });
  await signInAs(page, demoUser('realm-admin'), REALM);
  await expect(clientRow(page, 'orders-web')).toBeVisible();
}

/** Fills the origin's storage with another key until only `left` characters remain. */
async function fillStorage(page: Page, left: number) {
  await page.evaluate(
    ({ quota, key, left }) => {
      localStorage.removeItem(key);
      let used = 0;
      for (let index = 0; index < localStorage.length; index++) {
        const name = localStorage.key(index) ?? '';
        used += name.length + (localStorage.getItem(name)?.length ?? 0);
      }
      localStorage.setItem(key, 'x'.repeat(Math.max(0, quota - used - key.length - left)));
    },
    { quota: QUOTA, key: FILLER, left },
  );
}

async function previewScopeRun(page: Page, clientIds: string[]) {
  await fixSelected(page, clientIds);
  await wizard(page).getByRole('radio', { name: 'An audience client scope per client' }).check();
  await wizard(page).getByRole('button', { name: 'Next', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Preview', exact: true }).click();
}

test('a run whose journal would not fit is refused before it starts; clearing a finished journal asks and offers its download', async ({
  page,
}) => {
  await signIn(page);
  // A finished run first, so that there is an old journal to clear.
  await previewScopeRun(page, ['orders-web']);
  await wizard(page).getByRole('button', { name: 'Apply 2 changes' }).click();
  await expect(wizard(page).getByRole('table', { name: 'Verification result' })).toContainText('✔ orders-web');
  await wizard(page).getByRole('button', { name: 'Finish', exact: true }).click();
  await wizard(page).getByRole('button', { name: 'Close', exact: true }).click();

  // The finished run's client stays selected; this run is for two others.
  await clientRow(page, 'orders-web').getByRole('checkbox', { name: 'Select orders-web', exact: true }).uncheck();
  await fillStorage(page, 2000);
  const before = await realmState(admin, REALM);
  await previewScopeRun(page, ['shop-spa', 'report-worker']);
  const refusal = wizard(page).getByRole('alert', { name: "This run's journal would not fit in this browser" });
  await expect(refusal).toContainText(/This run's journal would take about \d+ kB, and this browser has \d+ kB left/);
  await expect(refusal).toContainText('not even one of these clients fits now');
  await expect(wizard(page).getByRole('button', { name: 'Apply 4 changes' })).toBeDisabled();

  await refusal.getByRole('button', { name: 'Download and clear finished runs…' }).click();
  const question = refusal.getByRole('group', { name: /^Clear the journal of run .*\?$/ });
  const downloading = page.waitForEvent('download');
  await question.getByRole('button', { name: 'Download journal' }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toMatch(/^audience-doctor-run-.*\.json$/);
  const journal = JSON.parse(readFileSync((await file.path()) as string, 'utf8')) as { state: string; fixes: string[] };
  expect(journal).toMatchObject({ state: 'applied', fixes: ['orders-web'] });

  // The filler goes too; clearing asks for the room again, and the run may start.
  await page.evaluate((key) => localStorage.removeItem(key), FILLER);
  await question.getByRole('button', { name: 'Clear journal', exact: true }).click();
  await expect(refusal).toBeHidden();
  await expect(wizard(page).getByRole('button', { name: 'Apply 4 changes' })).toBeEnabled();
  expect(await realmState(admin, REALM)).toEqual(before);
  await wizard(page).getByRole('button', { name: 'Close the fix wizard' }).click();
  await page.getByRole('button', { name: 'Recent runs' }).click();
  await expect(page.getByRole('dialog', { name: 'Recent fix runs' })).toContainText('No fix runs in realm');
});

test('a save the storage refuses mid-run stops the run, rolls back, and keeps the journal for download', async ({
  page,
}) => {
  await signIn(page);
  const before = await realmState(admin, REALM);
  // The second write waits until the storage is full: the save after it fails.
  let writes = 0;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reach: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  await page.route(`**/admin/realms/${REALM}/**`, async (route: Route) => {
    if (!isAdminWrite(route.request().method(), new URL(route.request().url()).pathname)) return route.continue();
    writes += 1;
    if (writes === 2) {
      reach();
      await released;
    }
    return route.continue();
  });
  await previewScopeRun(page, ['orders-web', 'shop-spa', 'report-worker']);
  await wizard(page).getByRole('button', { name: 'Apply 6 changes' }).click();
  await reached;
  await fillStorage(page, 10);
  release();

  const report = wizard(page).getByRole('alert').first();
  await expect(report).toContainText(
    /The run's journal could not be saved after \d of 6 steps: This browser's storage is full/,
  );
  await expect(report).toContainText('Everything this run wrote has been undone.');
  expect(await realmState(admin, REALM)).toEqual(before);
  const downloading = page.waitForEvent('download');
  await report.getByRole('button', { name: 'Download journal' }).click();
  const journal = JSON.parse(readFileSync((await (await downloading).path()) as string, 'utf8')) as {
    state: string;
    steps: { status: string }[];
  };
  expect(journal.state).toBe('rolled-back');
  expect(journal.steps.filter((step) => step.status === 'written')).toEqual([]);
  await page.evaluate((key) => localStorage.removeItem(key), FILLER);
});
