import { expect, test } from '@playwright/test';
import { createVerifiedAccount, expectAccessible, signIn, uniqueEmail } from './helpers.ts';

test('a signed-in applicant changes their password on the account page', async ({ page, context }) => {
	// A fresh account, so that no other journey depends on its password.
	const email = uniqueEmail('bram');
	await createVerifiedAccount(page, 'Bram Jacobs', email, 'kvarter-demo-2026');
	await signIn(page, email);
	const response = await page.goto('/account');
	// Signed-in pages are never cached.
	expect(response?.headers()['cache-control']).toBe('no-store');
	await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
	await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
	await expectAccessible(page);

	const section = page.getByRole('region', { name: 'Change password' });
	await section.getByLabel('Current password').fill('this is not it');
	await section.getByLabel('New password').fill('de molen draait weer');
	await section.getByRole('button', { name: 'Change password' }).click();
	await expect(section.locator('#field-currentPassword-error')).toHaveText('Your current password is not right');
	await expectAccessible(page);

	await section.getByLabel('Current password').fill('kvarter-demo-2026');
	await section.getByLabel('New password').fill('de molen draait weer');
	await section.getByRole('button', { name: 'Change password' }).click();
	await expect(section.getByRole('status')).toHaveText('Your password has been changed.');
	await expect(section.getByLabel('Current password')).toHaveValue('');

	await page.getByRole('button', { name: 'Sign out' }).click();
	await context.clearCookies();
	await signIn(page, email, 'de molen draait weer');
});

test('a new language chosen on the account page shows the whole page in it at once, with JavaScript', async ({ page }) => {
	const email = uniqueEmail('lina');
	await createVerifiedAccount(page, 'Lina Berg', email, 'kvarter-demo-2026');
	await signIn(page, email);
	await page.goto('/account');
	await page.waitForFunction(() => document.documentElement.classList.contains('js'));
	const section = page.getByRole('region', { name: 'Name and language' });
	await section.getByLabel('Language').selectOption('sv');
	await section.getByRole('button', { name: 'Save name and language' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Mitt konto' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
	await expect(page.getByRole('status')).toHaveText('Ditt namn och språk är sparade.');
	await expect(page.locator('header nav a[href="/projects"]')).toHaveText('Beviljade projekt');
});

