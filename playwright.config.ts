import { defineConfig } from '@playwright/test';

const PORT = 4173;
export const SMTP_PORT = 2526;

// Journeys run against the production build (`vite build` first), on loopback, with a fresh
// database and a real SMTP server (tests/e2e/global-setup.ts) that the tests read mail from.
export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 90_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	globalSetup: './tests/e2e/global-setup.ts',
	use: {
		baseURL: `http://localhost:${PORT}`,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		}
	},
	webServer: {
		command: 'rm -rf .e2e/db && mkdir -p .e2e/db && node build',
		url: `http://localhost:${PORT}/healthz`,
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'pipe',
		stderr: 'pipe',
		env: {
			HOST: '127.0.0.1',
			PORT: String(PORT),
			KEEP_ALIVE_TIMEOUT: '75',
			PUBLIC_ORIGIN: `http://localhost:${PORT}`,
			DATABASE_URL: 'file:.e2e/db/kvarter.db',
			SEED_DEMO_DATA: 'true',
			SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
			OUTBOX_INTERVAL_MS: '250',
			FILES_DIR: '.e2e/db/files',
			BODY_SIZE_LIMIT: '20M',
			DEBTOR_IBAN: 'DE89370400440532013000',
			DEBTOR_BIC: 'COBADEFF',
			// The second completed demo grant's first payment (8 400 kr, bankgiro) then needs a second approval.
			SECOND_APPROVAL_ABOVE: '820000',
			MUNICIPALITY_NAME: 'Älvstads kommun'
		}
	}
});
