import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.ts';

test.describe('public transparency', () => {
	test('a visitor browses the register of funded projects, filters it and opens a project', async ({ page }) => {
		await page.goto('/projects?lang=en');
		await expect(page.getByRole('heading', { level: 1, name: 'Funded projects' })).toBeVisible();
		// Last year's 30 projects and this year's accepted grants (other journeys may add some).
		const total = Number((await page.getByRole('status').textContent())!.match(/\d+/)![0]);
		expect(total).toBeGreaterThanOrEqual(35);
		await expectAccessible(page);
		await page.getByLabel('Neighbourhood').selectOption({ label: 'Norrbacka' });
		await page.getByRole('button', { name: 'Show results' }).click();
		await expect(page).toHaveURL(/neighbourhood=/);
		const cards = page.locator('.card-list > li');
		expect(await cards.count()).toBeGreaterThan(3);
		for (const card of await cards.all()) await expect(card).toContainText('Norrbacka');
		// A resident who did not agree to be named is "a resident of" the neighbourhood.
		await expect(page.getByText('A resident of Norrbacka').first()).toBeVisible();
		await page.getByLabel('Search').fill('Fotboll utan gränser');
		await page.getByRole('button', { name: 'Show results' }).click();
		await expect(page.getByRole('status')).toHaveText('Projects: 1');
		await page.getByRole('link', { name: 'Fotboll utan gränser' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Fotboll utan gränser' })).toBeVisible();
		await expect(page.getByText('Norrbacka Idrottsförening')).toBeVisible();
		await expect(page.getByText('2 of 2 milestones reached')).toBeVisible();
		await expectAccessible(page);
		// A declined offer is not public.
		await page.goto('/projects?q=Schack+efter+skolan');
		await expect(page.getByRole('link', { name: 'Schack efter skolan', exact: true })).toHaveCount(0);
		expect((await page.goto('/projects/not-a-grant'))?.status()).toBe(404);
	});

	test('the statistics show charts with their tables, the map and protected small numbers', async ({ page }) => {
		await page.goto('/statistics?lang=en');
		await expect(page.getByRole('heading', { level: 1, name: 'Where the money goes' })).toBeVisible();
		await expect(page.getByRole('img', { name: 'Money awarded by neighbourhood' })).toBeVisible();
		await expect(page.getByRole('img', { name: 'Money per inhabitant on the map' })).toBeVisible();
		await expect(page.getByRole('img', { name: 'Grants by kind of applicant' })).toBeVisible();
		const table = page.getByRole('table', { name: 'Grants, money and people reached by neighbourhood' });
		await expect(table.getByRole('row', { name: /Norrbacka/ })).toContainText('SEK');
		await expect(table.getByText('fewer than 5').first()).toBeVisible();
		await expect(page.getByRole('table', { name: 'Grants and money by kind of applicant' })).toBeVisible();
		await expectAccessible(page);
		await page.goto('/calls?lang=en');
		await expect(page.getByRole('heading', { name: 'Calls and their outcomes' })).toBeVisible();
		await expect(page.getByRole('row', { name: /Mötesplatser i kvarteret 2025/ })).toContainText('30');
		await expectAccessible(page);
		await page.goto('/open-data?lang=en');
		await expectAccessible(page);
		const res = await page.request.get('/open-data/360giving.json');
		expect(res.headers()['content-type']).toContain('application/json');
		const pkg = await res.json();
		// The open data holds exactly the register's projects.
		await page.goto('/projects?lang=en');
		const total = Number((await page.getByRole('status').textContent())!.match(/\d+/)![0]);
		expect(pkg.grants).toHaveLength(total);
		expect(pkg.grants.some((g: { title: string }) => g.title === 'Schack efter skolan')).toBe(false);
		expect(JSON.stringify(pkg)).not.toMatch(/kvarter\.demo|SE45 ?5000|Internal/);
		const csv = await page.request.get('/open-data/360giving.csv');
		expect((await csv.text()).split('\r\n')[0]).toContain('Identifier,Title,Description,Currency');
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });
		test('the register filters and the statistics draw with plain HTML', async ({ page }) => {
			await page.goto('/projects?lang=en');
			await page.getByLabel('Year').selectOption({ index: 1 });
			await page.getByRole('button', { name: 'Show results' }).click();
			await expect(page).toHaveURL(/year=\d{4}/);
			await expect(page.getByRole('status')).toContainText('Projects:');
			await page.goto('/statistics?lang=en');
			await expect(page.locator('svg path').first()).toBeVisible();
			await expect(page.getByRole('table').first()).toBeVisible();
			expect(await page.locator('script').count()).toBe(0);
		});
	});

	test('staff read the equity dashboard with the application funnel', async ({ page }) => {
		await signIn(page, 'officer@kvarter.demo');
		await page.goto('/staff/statistics?lang=en');
		await expect(page.getByRole('heading', { level: 1, name: 'Equity dashboard' })).toBeVisible();
		await expect(page.getByRole('table', { name: 'Funnel by neighbourhood' })).toBeVisible();
		await expect(page.getByRole('table', { name: 'Funnel by kind of applicant' })).toBeVisible();
		await expectAccessible(page);
		await page.getByLabel('Call').selectOption({ label: 'Mötesplatser i kvarteret 2025' });
		await page.getByRole('button', { name: 'Show results' }).click();
		await expect(page.getByRole('table', { name: 'Funnel by neighbourhood' }).locator('tfoot')).toContainText('44');
		await expectAccessible(page);
	});
});
