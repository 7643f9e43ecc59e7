import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.ts';

for (const lang of ['en', 'sv'] as const) {
	test(`screening asks the officer to choose an outcome: nothing is preselected (${lang})`, async ({ page }) => {
		await signIn(page, 'officer@kvarter.demo');
		await page.goto(`/staff/applications?status=submitted&lang=${lang}`);
		await page.locator('main table a[href^="/staff/applications/"]').first().click();
		const radios = page.locator('input[name="outcome"]');
		await expect(radios).toHaveCount(3);
		for (const r of await radios.all()) await expect(r).not.toBeChecked();
		const url = page.url();
		const message = lang === 'sv' ? 'Kan ni berätta mer om volontärerna?' : 'Could you tell us more about the volunteers?';
		await page.locator('textarea[name="message"]').fill(message);
		await page.locator('#screen-title ~ form button[type="submit"]').click();
		await expect(page.getByRole('alert')).toContainText(lang === 'sv' ? 'Välj i listan' : 'Choose from the list');
		await expect(page.locator('#field-outcome .field-error')).toBeVisible();
		await expect(page.locator('textarea[name="message"]')).toHaveValue(message);
		// Nothing happened: the application is still waiting to be screened.
		await page.goto(url);
		await expect(page.locator('input[name="outcome"]')).toHaveCount(3);
		await expectAccessible(page);
	});
}
