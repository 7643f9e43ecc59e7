import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.ts';

const DEMO_CALL = 'Mötesplatser i kvarteret 2027';

/** Starts a draft as a resident in the demo call and returns its number. */
async function startDraft(page: Page) {
	await page.goto('/calls');
	await page.getByRole('link', { name: DEMO_CALL }).click();
	await page.getByRole('link', { name: 'Apply' }).first().click();
	await page.getByRole('button', { name: 'Start the application' }).click();
	await expect(page).toHaveURL(/\/applications\/\d+\/edit/);
	return Number(page.url().match(/applications\/(\d+)/)![1]);
}

async function fillComplete(page: Page, lines: [string, string][]) {
	await page.getByLabel('Title', { exact: true }).fill('Schack i Ekdalen');
	await page.getByLabel('Summary').fill('Chess club for young and old.');
	await page.getByLabel('Description').fill('Weekly chess evenings in the community room.');
	await page.getByRole('checkbox', { name: 'Ekdalen' }).check();
	await page.getByLabel('Expected number of participants').fill('20');
	await page.getByLabel('Start date').fill('2027-02-01');
	await page.getByLabel('End date').fill('2027-05-01');
	for (const [i, [item, amount]] of lines.entries()) {
		await page.getByLabel(`Line ${i + 1}: what for`).fill(item);
		await page.getByLabel(`Line ${i + 1}: amount`).fill(amount);
	}
}

test.describe('bad input on an application', () => {
	test.beforeEach(async ({ page }) => {
		await signIn(page, 'grace@kvarter.demo');
	});

	test('an amount above the call’s maximum is refused next to the amount', async ({ page }) => {
		const id = await startDraft(page);
		await fillComplete(page, [['Chess sets', '30000'], ['Clock timers', '25000']]);
		await page.getByRole('button', { name: 'Send application' }).click();
		await expect(page.locator('#field-requestedAmount-error')).toHaveText("The amount you ask for is above this call's maximum");
		await expectAccessible(page);
		await page.goto(`/applications/${id}`);
		await expect(page.getByText('Draft', { exact: true }).first()).toBeVisible();
	});

	test('negative and non-numeric amounts are refused next to their line, and nothing is saved', async ({ page }) => {
		const id = await startDraft(page);
		await fillComplete(page, [['Chess sets', '-500'], ['Snacks', 'tusen']]);
		await page.getByRole('button', { name: 'Save draft' }).click();
		await expect(page.getByRole('alert')).toContainText('Budget line 1: enter an amount above zero, in numbers');
		await expect(page.getByRole('alert')).toContainText('Budget line 2: enter an amount above zero, in numbers');
		await expect(page.getByLabel('Line 2: amount')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Line 2: amount')).toHaveValue('tusen');
		await page.goto(`/applications/${id}`);
		await expect(page.getByText('No budget lines yet.')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Application without a title');
	});

	test('budget lines that do not add up to the amount asked for are refused', async ({ page }) => {
		await startDraft(page);
		await fillComplete(page, [['Chess sets', '6000'], ['Snacks', '2000']]);
		await page.getByLabel('Amount you ask for (SEK)').fill('10000');
		await page.getByRole('button', { name: 'Send application' }).click();
		await expect(page.locator('#field-requestedAmount-error')).toContainText('The budget lines must add up to the amount you ask for');
		await expect(page.getByText('Draft', { exact: true }).first()).toBeVisible();
	});

	test('an executable renamed .pdf and a file above the limit are refused', async ({ page }) => {
		const id = await startDraft(page);
		const exe = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), Buffer.alloc(2000)]);
		await page.getByLabel('Choose a file').setInputFiles({ name: 'budget.pdf', mimeType: 'application/pdf', buffer: exe });
		await page.getByRole('button', { name: 'Add the file' }).click();
		await expect(page.locator('#field-file-error')).toContainText('The file must be a PDF, a picture');
		await expectAccessible(page);
		const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024)]);
		await page.getByLabel('Choose a file').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: big });
		await page.getByRole('button', { name: 'Add the file' }).click();
		await expect(page.locator('#field-file-error')).toContainText('The file must be smaller than 10 MB');
		await page.goto(`/applications/${id}`);
		await expect(page.getByText('No files.')).toBeVisible();
	});

	test('a form forged to post to another person’s application is answered "not found" and changes nothing', async ({ page }) => {
		// Amina's demo draft (number 1) is not Grace's.
		const forged = await page.request.post('/applications/1/edit?/save', {
			form: { title: 'Taken over', lineItem: 'x', lineAmount: '100' },
			headers: { origin: 'http://localhost:4173', accept: 'text/html' }
		});
		expect(forged.status()).toBe(404);
		const file = await page.request.get('/applications/1/files/00000000-0000-0000-0000-000000000000');
		expect(file.status()).toBe(404);
		expect((await page.goto('/applications/1'))?.status()).toBe(404);
		await signIn(page, 'amina@kvarter.demo');
		await page.goto('/applications/1');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Syjunta för mammor i Norrbacka');
	});
});

test('a submission after the call has closed is refused', async ({ browser }) => {
	const officer = await (await browser.newContext()).newPage();
	await signIn(officer, 'officer@kvarter.demo');
	await officer.goto('/staff/funds');
	await officer.getByRole('link', { name: 'Integrationsfonden Älvstad 2027' }).click();
	await officer.getByRole('link', { name: 'New call' }).click();
	const title = `Snart stängd ${Date.now().toString(36)}`;
	await officer.getByLabel('Title', { exact: true }).fill(title);
	await officer.getByLabel('Opens').fill('2026-01-01T09:00');
	await officer.getByLabel('Closes').fill('2030-01-01T09:00');
	await officer.getByLabel('Smallest amount (SEK)').fill('1000');
	await officer.getByLabel('Largest amount (SEK)').fill('20000');
	await officer.getByLabel('Criterion 1: name').fill('Fits the neighbourhood');
	await officer.getByRole('button', { name: 'Save call' }).click();
	await officer.getByRole('button', { name: 'Publish the call' }).click();
	await expect(officer.getByRole('status').filter({ hasText: 'The call is published.' })).toBeVisible();

	const applicant = await (await browser.newContext()).newPage();
	await signIn(applicant, 'grace@kvarter.demo');
	await applicant.goto('/calls');
	await applicant.getByRole('link', { name: title }).click();
	await applicant.getByRole('link', { name: 'Apply' }).first().click();
	await applicant.getByRole('button', { name: 'Start the application' }).click();
	await fillComplete(applicant, [['Chess sets', '5000']]);
	await applicant.getByRole('button', { name: 'Save draft' }).click();
	await expect(applicant.getByRole('status').filter({ hasText: 'Your draft was saved' })).toBeVisible();

	// The officer closes the call early (yesterday).
	await officer.getByLabel('Closes').fill('2026-01-02T09:00');
	await officer.getByRole('button', { name: 'Save changes' }).click();
	await expect(officer.getByRole('status').filter({ hasText: 'The call is saved.' })).toBeVisible();

	await applicant.getByRole('button', { name: 'Send application' }).click();
	await expect(applicant.getByRole('alert')).toContainText('The call has closed');
	await expect(applicant.getByText('Draft', { exact: true }).first()).toBeVisible();
});
