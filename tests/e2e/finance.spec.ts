import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectAccessible, signIn } from './helpers.ts';
import type { Page } from '@playwright/test';

/** The number of payments due, as the page states it. */
async function dueCount(page: Page) {
	const text = await page.getByRole('status').filter({ hasText: 'Payments due:' }).textContent();
	return Number(text!.match(/\d+/)![0]);
}

test('finance records a transfer, downloads a pain.001 file of three tranches, marks one failed and pays it again', async ({ page }) => {
	await signIn(page, 'finance@kvarter.demo');
	await page.getByRole('link', { name: 'Finance' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Payments' })).toBeVisible();
	await expectAccessible(page);
	const fundRow = page.getByRole('row').filter({ hasText: 'Integrationsfonden Älvstad 2027' });
	const paidBefore = (await fundRow.getByRole('cell').nth(3).textContent())!.trim();

	await page.getByLabel('Paid to').selectOption('iban');
	await page.getByRole('button', { name: 'Show results' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Payments due: 5' })).toBeVisible();
	await expectAccessible(page);

	// A file of three of the IBAN payments.
	const boxes = await page.getByRole('checkbox').all();
	for (const box of boxes.slice(0, 3)) await box.check();
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download a payment file/ }).click()]);
	expect(download.suggestedFilename()).toMatch(/^KVARTER-\d{8}-[a-f0-9]{8}\.xml$/);
	const xml = readFileSync((await download.path())!, 'utf8');
	expect(xml.match(/<CdtTrfTxInf>/g)).toHaveLength(3);
	expect(xml).toMatch(/<NbOfTxs>3<\/NbOfTxs>/);
	expect(xml).toContain('<IBAN>DE89370400440532013000</IBAN>');

	// The bank confirms the first; finance records it (the page shows the whole queue again).
	await page.goto('/finance');
	const before = await dueCount(page);
	const first = page.locator('form.pay-form').first();
	await first.getByLabel(/Bank reference for/).fill('SEB-20261128-001');
	await first.getByRole('button', { name: 'Record as paid' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The payment is recorded.' })).toBeVisible();
	expect(await dueCount(page)).toBe(before - 1);
	const paidAfter = (await page.getByRole('row').filter({ hasText: 'Integrationsfonden Älvstad 2027' }).getByRole('cell').nth(3).textContent())!.trim();
	expect(paidAfter).not.toBe(paidBefore);

	// It bounces: recorded as failed, due again, then paid again.
	const paid = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Recently paid' }) });
	await paid.getByLabel(/Why the payment for/).first().fill('Account closed by the bank');
	await paid.getByRole('button', { name: 'Record as failed' }).first().click();
	await expect(page.getByRole('status').filter({ hasText: 'recorded as failed' })).toBeVisible();
	expect(await dueCount(page)).toBe(before);
	await expect(page.getByRole('row').filter({ hasText: 'Integrationsfonden Älvstad 2027' }).getByRole('cell').nth(3)).toHaveText(paidBefore);
	await page.locator('form.pay-form').first().getByLabel(/Bank reference for/).fill('SEB-20261128-002');
	await page.locator('form.pay-form').first().getByRole('button', { name: 'Record as paid' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The payment is recorded.' })).toBeVisible();
	expect(await dueCount(page)).toBe(before - 1);
	await expectAccessible(page);
});

test('an officer (who approves grants) cannot reach payments', async ({ page }) => {
	await signIn(page, 'officer@kvarter.demo');
	expect((await page.goto('/finance'))?.status()).toBe(403);
	const res = await page.request.post('/finance/file', { form: { select: 'x' }, headers: { origin: 'http://localhost:4173' }, maxRedirects: 0 });
	expect(res.status()).toBe(403);
});
