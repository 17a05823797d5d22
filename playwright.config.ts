import { defineConfig } from '@playwright/test';

/** The dashboard client's redirect URIs name port 4173: only the API-level specs run on another one. */
const APP_PORT = Number(process.env.E2E_APP_PORT || 4173);
export const APP_URL = `http://localhost:${APP_PORT}/`;

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  // One Keycloak serves the whole run, and specs share its demo realm: one worker, in order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: APP_URL,
    trace: 'retain-on-failure',
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      // Without the background-networking flags Chromium keeps calling home on a closed network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // The production build, as it will be hosted.
    command: `npx vite build --logLevel warn && npx vite preview --port ${APP_PORT}`,
    url: `http://127.0.0.1:${APP_PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
