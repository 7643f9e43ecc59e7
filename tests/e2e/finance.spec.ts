import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectAccessible, signIn } from './helpers.ts';
import type { Page } from '@playwright/test';

/** The number of payments due, as the page states it. */
async function dueCount(page: Page) {
	const text = await page.getByRole('status').filter({ hasText: 'Payments due:' }).textContent();
	return Number(text!.match(/\d+/)![0]);
}
const paidOut = async (page: Page) => (await page.getByRole('row').filter({ hasText: 'Integrationsfonden Älvstad 2027' }).getByRole('cell').nth(3).textContent())!.trim();

test('finance records a transfer, sends a pain.001 file of three payments, settles one paid and one failed, and pays the failed one again', async ({ page }) => {
	await signIn(page, 'finance@kvarter.demo');
	await page.getByRole('link', { name: 'Finance' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Payments' })).toBeVisible();
	await expectAccessible(page);
	// Without Stripe keys, nothing about Stripe shows, and its webhook endpoint is not there.
	await expect(page.getByText(/Stripe/)).toHaveCount(0);
	expect((await page.request.post('/stripe/webhook', { data: '{}', headers: { 'stripe-signature': 't=1,v1=x' } })).status()).toBe(404);
	const paidBefore = await paidOut(page);

	await page.getByLabel('Paid to').selectOption('iban');
	await page.getByRole('button', { name: 'Show results' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Payments due: 5' })).toBeVisible();
	await expectAccessible(page);

	// One by hand: the bank confirmed it. (Joost De Smet's grant is left for its own test.)
	const grace = page.getByRole('row').filter({ hasText: 'Grace Okafor' });
	await grace.getByLabel(/Bank reference for/).fill('SEB-20261128-001');
	await grace.getByRole('button', { name: 'Record as paid' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The payment is recorded.' })).toBeVisible();
	// Back at the queue with a clean address: a reload re-posts nothing.
	await expect(page).toHaveURL(/\/finance\?(.*&)?done=recorded/);
	expect(page.url()).not.toContain('?/pay');
	const afterOne = await paidOut(page);
	expect(afterOne).not.toBe(paidBefore);

	// Three in a payment file.
	await page.goto('/finance?method=iban');
	await expect(page.getByRole('status').filter({ hasText: 'Payments due: 4' })).toBeVisible();
	const others = page.getByRole('row').filter({ hasNot: page.getByText('Joost De Smet') });
	for (const box of await others.getByRole('checkbox').all()) await box.check();
	await page.getByRole('button', { name: /Make a payment file/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: /Payment file KVARTER-\d{8}-[a-f0-9]{8}/ })).toBeVisible();
	await expect(page.getByText('Made, not sent')).toBeVisible();
	await expectAccessible(page);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download the payment file/ }).click()]);
	expect(download.suggestedFilename()).toMatch(/^KVARTER-\d{8}-[a-f0-9]{8}\.xml$/);
	const xml = readFileSync((await download.path())!, 'utf8');
	expect(xml.match(/<CdtTrfTxInf>/g)).toHaveLength(3);
	expect(xml).toMatch(/<NbOfTxs>3<\/NbOfTxs>/);
	expect(xml).toContain('<IBAN>DE89370400440532013000</IBAN>');
	// While the file is on its way, the three are out of the queue.
	const batchUrl = page.url();
	await page.goto('/finance?method=iban');
	await expect(page.getByRole('status').filter({ hasText: 'Payments due: 1' })).toBeVisible();
	expect(await paidOut(page)).toBe(afterOne);

	await page.goto(batchUrl);
	await page.getByRole('button', { name: 'Mark the file sent to the bank' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'marked sent' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: /Confirm the payment to .* as paid/ }).first().click();
	await expect(page.getByRole('status').filter({ hasText: 'confirmed as paid' })).toBeVisible();
	await page.getByLabel(/Why the payment for/).first().fill('Account closed by the bank');
	await page.getByRole('button', { name: 'Record as failed' }).first().click();
	await expect(page.getByRole('status').filter({ hasText: 'recorded as failed' })).toBeVisible();
	await expect(page.getByText('Failed', { exact: true })).toHaveCount(1);
	await expect(page.getByText('Paid', { exact: true })).toHaveCount(1);
	await expectAccessible(page);

	// The failed one is due again, and is paid by hand; the fund's figures follow every step.
	await page.goto('/finance?method=iban');
	await expect(page.getByRole('status').filter({ hasText: 'Payments due: 2' })).toBeVisible();
	const afterFile = await paidOut(page);
	expect(afterFile).not.toBe(afterOne);
	const before = await dueCount(page);
	const again = page.getByRole('row').filter({ has: page.getByRole('button', { name: 'Record as paid' }) }).filter({ hasNot: page.getByText('Joost De Smet') });
	await again.getByLabel(/Bank reference for/).fill('SEB-20261128-002');
	await again.getByRole('button', { name: 'Record as paid' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The payment is recorded.' })).toBeVisible();
	await page.goto('/finance?method=iban');
	expect(await dueCount(page)).toBe(before - 1);
	expect(await paidOut(page)).not.toBe(afterFile);

	await page.getByRole('link', { name: 'Payment files' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Payment files' })).toBeVisible();
	await expectAccessible(page);
	await page.goto('/finance/repayments');
	await expect(page.getByRole('heading', { level: 1, name: 'Money owed back' })).toBeVisible();
	await expectAccessible(page);
});

test('a payment above the limit needs a second finance colleague', async ({ page, browser }) => {
	await signIn(page, 'finance@kvarter.demo');
	await page.goto('/finance?method=bankgiro');
	const big = (p: Page) => p.getByRole('row').filter({ hasText: 'Buurtgroep De Brug' }).filter({ hasText: /second (approval|person)/ });
	const row = big(page);
	await expect(row.getByText('Needs a second approval')).toBeVisible();
	await expect(row.getByRole('button', { name: 'Record as paid' })).toHaveCount(0);
	await row.getByRole('button', { name: 'Approve the payment to Buurtgroep De Brug' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The payment is approved' })).toBeVisible();
	await page.goto('/finance?method=bankgiro');
	await expect(big(page).getByText('another finance colleague pays it')).toBeVisible();
	await expectAccessible(page);

	const other = await browser.newPage();
	await signIn(other, 'sofie@kvarter.demo');
	await other.goto('/finance?method=bankgiro&lang=en');
	const theirs = big(other);
	await expect(theirs.getByText('Approved by a second person')).toBeVisible();
	await theirs.getByLabel(/Bank reference for/).fill('BG-20261128-7');
	await theirs.getByRole('button', { name: 'Record as paid' }).click();
	await expect(other.getByRole('status').filter({ hasText: 'The payment is recorded.' })).toBeVisible();
	await other.close();
});

test('whoever approved a grant is refused its payment, and an officer cannot reach payments', async ({ page }) => {
	await signIn(page, 'ingrid@kvarter.demo');
	await page.goto('/finance?lang=en');
	const own = page.getByRole('row').filter({ hasText: 'You approved this grant' });
	await expect(own).toHaveCount(1);
	await expect(own.getByRole('button')).toHaveCount(0);
	await expect(own.getByRole('checkbox')).toHaveCount(0);
	await expectAccessible(page);
	const trancheId = await own.getAttribute('data-tranche');
	const res = await page.request.post('/finance?/pay', { form: { trancheId: trancheId!, paidDate: '2026-11-28', reference: 'MINE' }, headers: { origin: 'http://localhost:4173' } });
	expect(res.status()).toBe(403);
	await page.reload();
	await expect(page.getByRole('row').filter({ hasText: 'You approved this grant' })).toHaveCount(1);

	const officer = await page.context().browser()!.newPage();
	await signIn(officer, 'officer@kvarter.demo');
	expect((await officer.goto('/finance'))?.status()).toBe(403);
	const post = await officer.request.post('/finance?/batch', { form: { select: 'x' }, headers: { origin: 'http://localhost:4173' }, maxRedirects: 0 });
	expect(post.status()).toBe(403);
	await officer.close();
});
