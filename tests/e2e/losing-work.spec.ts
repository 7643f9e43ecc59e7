import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.ts';

/** Grace starts a fresh application of her own (so no test shares its draft). */
async function startDraft(page: Page) {
	await signIn(page, 'grace@kvarter.demo');
	await page.goto('/calls');
	await page.getByRole('link', { name: 'Mötesplatser i kvarteret 2027' }).click();
	await page.getByRole('link', { name: 'Apply' }).first().click();
	await page.getByRole('radio', { name: 'Myself, as a resident' }).check();
	await page.getByRole('button', { name: 'Start the application' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

test.describe('nothing typed or attached is lost', () => {
	for (const js of [true, false]) {
		test.describe(js ? 'with JavaScript' : 'without JavaScript', () => {
			test.use({ javaScriptEnabled: js });
			test('pressing Enter in a field of the application saves the draft and keeps the attached file', async ({ page }) => {
				await startDraft(page);
				const name = `budget-${js ? 'js' : 'plain'}.pdf`;
				await page.getByLabel('Choose a file').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
				await page.getByRole('button', { name: 'Add the file' }).click();
				await expect(page.getByRole('link', { name })).toBeVisible();
				const title = `Språkcafé på torsdagar ${js ? 'A' : 'B'}`;
				await page.getByLabel('Title', { exact: true }).fill(title);
				await page.getByLabel('Title', { exact: true }).press('Enter');
				// The draft was saved with the title, and the file is still there.
				await expect(page.getByRole('status').filter({ hasText: /saved/i }).first()).toBeVisible();
				await page.reload();
				await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title);
				await expect(page.getByRole('link', { name })).toBeVisible();
				if (js) await expectAccessible(page);
			});
		});
	}

	test('a budget line is removed with its own button (without JavaScript), and a new line takes the focus (with it)', async ({ browser }) => {
		for (const js of [false, true]) {
			const context = await browser.newContext({ javaScriptEnabled: js });
			const page = await context.newPage();
			await startDraft(page);
			await page.getByLabel('Line 1: what for').fill('Hyra av lokal');
			await page.getByLabel('Line 1: amount').fill('3000');
			await page.getByLabel('Line 2: what for').fill('Fika');
			await page.getByLabel('Line 2: amount').fill('500');
			await page.getByRole('button', { name: 'Remove budget line 1' }).click();
			await expect(page.getByRole('status').filter({ hasText: /saved/i }).first()).toBeVisible();
			// Saved without the removed line: what was row 2 is now row 1, and the total follows.
			await expect(page.getByLabel('Line 1: what for')).toHaveValue('Fika');
			await expect(page.getByLabel('Line 1: amount')).toHaveValue('500');
			await expect(page.getByLabel('Line 2: what for')).toHaveValue('');
			if (js) {
				const before = await page.locator('input[name="lineItem"]').count();
				await page.getByRole('button', { name: 'Add a budget line' }).click();
				await expect(page.locator('input[name="lineItem"]')).toHaveCount(before + 1);
				await expect(page.getByLabel(`Line ${before + 1}: what for`)).toBeFocused();
				await expect(page.getByRole('status').filter({ hasText: `Line ${before + 1} added.` })).toBeAttached();
				await expectAccessible(page);
			}
			await context.close();
		}
	});
});
