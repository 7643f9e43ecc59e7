import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible } from './helpers.ts';
import { startOwnServer, type OwnServer } from './own-server.ts';

/**
 * A call with more applications than one page of the ranking holds: ranks run on across pages,
 * and what the officer chooses on one page stays chosen on the next, up to the decision form.
 * On a portal of its own, since the test adds 60 applications in review to a demo call.
 */
let server: OwnServer;
let callId: string;
const RANKING = 'Ranking and decisions';
test.beforeAll(async () => {
	test.setTimeout(120_000);
	server = await startOwnServer('ranking-pages', 4182);
	const call = await server.db.execute(`select id from calls where title = 'Läxhjälp och lärande 2026'`);
	callId = String(call.rows[0].id);
	const amina = await server.db.execute(`select id from users where email = 'amina@kvarter.demo'`);
	const now = Date.now();
	await server.db.batch(
		Array.from({ length: 60 }, (_, i) => ({
			sql: `insert into applications (call_id, applicant_id, applicant_kind, status, title, language, requested_amount, created_at, updated_at, submitted_at)
				values (?, ?, 'individual', 'in_review', ?, 'sv', ?, ?, ?, ?)`,
			args: [callId, String(amina.rows[0].id), `Sidprojekt ${String(i + 1).padStart(2, '0')}`, 500_000 + i * 10_000, now, now, now]
		})),
		'write'
	);
});
test.afterAll(async () => server?.stop());
test.use({ baseURL: 'http://localhost:4182' });

test('the ranking pages a large call and keeps what was chosen on other pages', async ({ page }) => {
	await page.goto('/sign-in?lang=en');
	await page.getByLabel('Email address').fill('officer@kvarter.demo');
	await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('form[action="/sign-out"] button')).toBeVisible();

	await page.goto(`/staff/calls/${callId}/ranking?lang=en`);
	const rows = page.getByRole('region', { name: RANKING, exact: true }).locator('tbody tr');
	await expect(rows).toHaveCount(50);
	await expect(page.getByText('Page 1 of 2')).toBeVisible();
	// Choose the last row of page 1 (one still in review: the decided demo ones rank first) and send the choice (a plain GET form).
	const first = rows.last();
	const firstTitle = (await first.locator('td a').first().textContent())!.trim();
	await first.locator('input[name="select"]').check();
	await page.getByRole('button', { name: 'Decide on the selected (shows the split first)' }).click();
	await expect(page.locator('#preview-title')).toContainText('Split of the selection: 1 applications');
	// Page 2 continues the ranks and says one is chosen elsewhere.
	await page.getByRole('link', { name: 'Next page' }).click();
	await expect(rows.first().locator('td').first()).toHaveText('51');
	await expect(page.getByRole('status').filter({ hasText: 'chosen on other pages' })).toContainText('1 chosen on other pages stay chosen.');
	const last = rows.last();
	const lastTitle = (await last.locator('td a').first().textContent())!.trim();
	await last.locator('input[name="select"]').check();
	await page.getByRole('button', { name: 'Decide on the selected (shows the split first)' }).click();
	// Both are in the preview and in the decision form, from two pages.
	await expect(page.locator('#preview-title')).toContainText('Split of the selection: 2 applications');
	const decide = page.locator('section[aria-labelledby="decide-title"] legend');
	await expect(decide).toHaveCount(2);
	await expect(decide.filter({ hasText: firstTitle })).toHaveCount(1);
	await expect(decide.filter({ hasText: lastTitle })).toHaveCount(1);
	await expectAccessible(page);
});
