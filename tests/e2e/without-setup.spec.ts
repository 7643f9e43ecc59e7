import { expect, test } from '@playwright/test';
import { startOwnServer, type OwnServer } from './own-server.ts';
import { DEMO_PASSWORD, expectAccessible } from './helpers.ts';

/**
 * A portal not fully set up yet (no paying account, no email server) says so in plain words
 * instead of offering what cannot work.
 */
let server: OwnServer;
test.beforeAll(async () => {
	test.setTimeout(120_000);
	server = await startOwnServer('without-setup', 4180, { DEBTOR_IBAN: '', DEBTOR_BIC: '' });
});
test.afterAll(async () => server?.stop());

async function signIn(page: import('@playwright/test').Page, email: string) {
	await page.goto(`${server.origin}/sign-in?lang=en`);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('form[action="/sign-out"] button')).toBeVisible();
}

test('without a paying account the payment-file button is not offered, and finance reads why', async ({ page }) => {
	await signIn(page, 'sofie@kvarter.demo');
	await page.goto(`${server.origin}/finance?lang=en`);
	await expect(page.getByText('Payment files for the bank are not set up yet')).toBeVisible();
	await expect(page.getByRole('button', { name: /Make a payment file/ })).toHaveCount(0);
	await expect(page.locator('input[name="select"]')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Record as paid' }).first()).toBeVisible();
	await expectAccessible(page);
});

test('without an email server the outbox says the email is kept, not that it waits to be sent', async ({ page }) => {
	await signIn(page, 'admin@kvarter.demo');
	await page.goto(`${server.origin}/admin/outbox?lang=en`);
	await expect(page.getByText('Kept here: no email server is set').first()).toBeVisible();
	await expect(page.getByText('Waiting to be sent')).toHaveCount(0);
	await expectAccessible(page);
});
