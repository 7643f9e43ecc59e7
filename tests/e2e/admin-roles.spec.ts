import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.ts';

test('an applicant is refused the admin pages', async ({ page }) => {
	await signIn(page, 'amina@kvarter.demo');
	await expect(page.getByRole('link', { name: 'Administration' })).toHaveCount(0);
	const response = await page.goto('/admin/users');
	expect(response?.status()).toBe(403);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page');
	await expectAccessible(page);
	expect((await page.goto('/admin/audit'))?.status()).toBe(403);
	expect((await page.goto('/admin/outbox'))?.status()).toBe(403);
});

test('a visitor is sent to sign in first', async ({ page }) => {
	await page.goto('/admin/users');
	await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin%2Fusers/);
});

test('the admin grants the reviewer role and the change shows in the audit log', async ({ page }) => {
	await signIn(page, 'admin@kvarter.demo');
	await page.getByRole('link', { name: 'Administration' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('Search by name or email').fill('joost');
	await page.getByRole('button', { name: 'Show results' }).click();
	await expect(page.getByRole('status')).toHaveText('Users found: 1');
	await page.getByRole('link', { name: 'Joost De Smet' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Joost De Smet' })).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Give role: Reviewer' }).click();
	await expect(page.getByRole('status')).toHaveText('Role given: Reviewer');
	await expect(page.getByRole('button', { name: 'Remove role: Reviewer' })).toBeVisible();

	await page.getByRole('link', { name: 'Audit log', exact: true }).click();
	await expectAccessible(page);
	const row = page.getByRole('row').filter({ hasText: 'user.role_granted' }).filter({ hasText: 'joost@kvarter.demo' });
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('admin@kvarter.demo');
	await expect(row).toContainText('"role":"reviewer"');

	// The outbox shows the email that told Joost (in Dutch).
	await page.getByRole('link', { name: 'Email outbox' }).click();
	await expect(page.getByRole('link', { name: 'Je rollen in Kvarter zijn gewijzigd' }).first()).toBeVisible();
	await expectAccessible(page);
});
