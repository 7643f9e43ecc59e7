import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.ts';

test('money owed back is written off only by a finance user and an officer together', async ({ page, browser }) => {
	await signIn(page, 'finance@kvarter.demo');
	await page.goto('/finance/repayments?lang=en');
	// The demo's closed grant owes back what its final payment could not absorb.
	const owing = page.getByRole('heading', { level: 2 }).getByRole('link').first();
	await owing.click();
	await expect(page).toHaveURL(/\/grants\/[a-z0-9-]+$/);
	const grantUrl = page.url();
	await expect(page.getByRole('heading', { level: 2, name: 'Money', exact: true })).toBeVisible();
	await expect(page.getByRole('term').filter({ hasText: 'Owed back' })).toBeVisible();
	await expectAccessible(page);

	await page.getByText('Write off money owed back').click();
	// A reason is needed: nothing changes without it.
	await page.getByRole('button', { name: 'Propose the write-off' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('Reason').fill('Föreningen har upplösts och har inga tillgångar.');
	await page.getByRole('button', { name: 'Propose the write-off' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The write-off is proposed' })).toBeVisible();
	await expect(page.getByText('Waiting for someone with the other role to confirm it.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Confirm the write-off' })).toHaveCount(0);
	await expectAccessible(page);

	const officer = await (await browser.newContext()).newPage();
	await signIn(officer, 'officer@kvarter.demo');
	await officer.goto(grantUrl);
	await expect(officer.getByText(/proposed writing off/)).toBeVisible();
	await officer.getByRole('button', { name: 'Confirm the write-off' }).click();
	await expect(officer.getByRole('status').filter({ hasText: 'The money is written off.' })).toBeVisible();
	await expect(officer.getByRole('term').filter({ hasText: 'Owed back' })).toHaveCount(0);
	await expectAccessible(officer);
	await officer.close();
});

test('an officer sees a fund’s money and cannot lower its budget below what is committed', async ({ page }) => {
	await signIn(page, 'officer@kvarter.demo');
	await page.goto('/staff/funds?lang=en');
	await page.getByRole('link', { name: 'Integrationsfonden Älvstad 2027' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Money in the fund' })).toBeVisible();
	const budget = await page.getByRole('definition').first().textContent();
	await expectAccessible(page);
	await page.getByText('Change the fund').click();
	await page.getByLabel('Total budget').fill('1');
	await page.getByRole('button', { name: 'Save the fund' }).click();
	await expect(page.getByRole('alert')).toContainText('cannot be less than what the fund has committed');
	await expectAccessible(page);
	await page.reload();
	expect(await page.getByRole('definition').first().textContent()).toBe(budget);
});

test('finance staff can open the grants in their queue', async ({ page }) => {
	await signIn(page, 'finance@kvarter.demo');
	await page.goto('/finance?lang=en');
	await page.locator('table a[href^="/grants/"]').first().click();
	await expect(page).toHaveURL(/\/grants\/[a-z0-9-]+$/);
	await expect(page.getByRole('heading', { level: 2, name: 'Money', exact: true })).toBeVisible();
	// Finance reads the grant; what only officers do is not offered.
	await expect(page.getByRole('button', { name: 'Cancel the grant' })).toHaveCount(0);
	await expectAccessible(page);
});

test('an organisation number registered already leads to a request to join, which an officer answers', async ({ page, browser }) => {
	await signIn(page, 'grace@kvarter.demo');
	await page.goto('/organisations?lang=en');
	await page.getByLabel('Kind of organisation').selectOption('association');
	await page.getByLabel('Name').fill('Norrbacka IF (kopia)');
	await page.getByLabel('Organisation number').fill('802456-1238');
	await page.getByLabel('Neighbourhood').selectOption({ label: 'Norrbacka' });
	await page.getByRole('button', { name: 'Add organisation' }).click();
	await expect(page.getByRole('alert')).toContainText('already registered');
	await expectAccessible(page);
	await page.getByRole('link', { name: /Ask to join it/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Join an organisation already registered' })).toBeVisible();
	await expect(page.getByLabel('Organisation number')).toHaveValue('802456-1238');
	await page.getByLabel('Who are you in the organisation?').fill('I coach the girls’ team on Saturdays.');
	await page.getByRole('button', { name: 'Ask to join' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Your request to join Norrbacka Idrottsförening is sent' })).toBeVisible();
	await expectAccessible(page);

	const officer = await (await browser.newContext()).newPage();
	await signIn(officer, 'officer@kvarter.demo');
	await officer.goto('/staff/organisations?lang=en');
	await expect(officer.getByText('I coach the girls’ team on Saturdays.')).toBeVisible();
	await expectAccessible(officer);
	await officer.getByRole('button', { name: 'Refuse Grace Okafor' }).click();
	await expect(officer.getByRole('status').filter({ hasText: 'The request is refused.' })).toBeVisible();
	await expect(officer.getByText('I coach the girls’ team on Saturdays.')).toHaveCount(0);
	await officer.close();
});
