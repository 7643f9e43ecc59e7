import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible } from './helpers.ts';
import { startOwnServer, type OwnServer } from './own-server.ts';

/**
 * Work finds its people: the header counts what waits, the to-do page lists it and leads to it.
 * On a portal of its own, so that what waits is the demo's, whatever other journeys do meanwhile.
 */
let server: OwnServer;
test.beforeAll(async () => {
	test.setTimeout(120_000);
	server = await startOwnServer('todo', 4181);
});
test.afterAll(async () => server?.stop());
test.use({ baseURL: 'http://localhost:4181' });

async function signIn(page: Page, email: string) {
	await page.context().clearCookies();
	await page.goto('/sign-in?lang=en');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('form[action="/sign-out"] button')).toBeVisible();
}

for (const lang of ['en', 'sv'] as const) {
	test(`the officer's to-do counts and lists applications to screen and leads to them (${lang})`, async ({ page }) => {
		await signIn(page, 'officer@kvarter.demo');
		await page.goto(`/?lang=${lang}`);
		const todoLink = page.locator('.site-nav a[href="/todo"]');
		await expect(todoLink.locator('.count-badge')).toHaveText(/^\d+$/);
		expect(Number(await todoLink.locator('.count-badge').textContent())).toBeGreaterThan(0);
		await todoLink.click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang === 'sv' ? 'Att göra' : 'To do');
		const screen = page.locator('section[aria-labelledby="todo-screen"]');
		await expect(screen.getByRole('heading', { level: 2 })).toContainText(lang === 'sv' ? 'Ansökningar att granska' : 'Applications to screen');
		// Each title is marked with the language its applicant writes in (WCAG 3.1.2).
		await expect(screen.locator('a[href^="/staff/applications/"]').first()).toHaveAttribute('lang', /^(en|sv|nl|ar)$/);
		await expectAccessible(page);
		await screen.locator('a[href^="/staff/applications/"]').first().click();
		await expect(page).toHaveURL(/\/staff\/applications\/\d+$/);
		await expect(page.locator('input[name="outcome"]')).toHaveCount(3);
	});
}

test('a reviewer finds their reviews in the to-do and opens one', async ({ page }) => {
	await signIn(page, 'reviewer@kvarter.demo');
	await page.goto('/todo?lang=en');
	const reviews = page.locator('section[aria-labelledby="todo-reviews"]');
	await expect(reviews.getByRole('heading', { level: 2 })).toContainText('Reviews to do');
	await reviews.locator('a[href^="/reviews/"]').first().click();
	await expect(page).toHaveURL(/\/reviews\/[0-9a-f-]+$/);
	// The account page, with the daily email choice, passes axe (the journey below runs without scripts).
	await page.goto('/account?lang=en');
	await expect(page.getByLabel('Email me each morning what waits for me (only on days when something does)')).toBeVisible();
	await expectAccessible(page);
});

test('texts people write are marked with their language: a report and its messages (WCAG 3.1.2)', async ({ page }) => {
	await signIn(page, 'officer@kvarter.demo');
	await page.goto('/todo?lang=ar');
	const reports = page.locator('section[aria-labelledby="todo-reports"]');
	await reports.locator('a[href^="/grants/"]').first().click();
	await expect(page).toHaveURL(/\/reports\//);
	// The grantee's narrative and the budget lines of the application are marked; the page is in Arabic.
	await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
	await expect(page.locator('textarea[name="narrative"]')).toHaveAttribute('lang', /^(en|sv|nl)$/);
	await expect(page.locator('main table td span[lang]').first()).toHaveAttribute('lang', /^(en|sv|nl)$/);
	await expectAccessible(page);
	// An application whose applicant was asked for changes: the officer's message is marked.
	await page.goto('/staff/applications?status=needs_changes&lang=ar');
	await page.locator('main table a[href^="/staff/applications/"]').first().click();
	await expect(page.locator('ul.messages li p[lang]').first()).toHaveAttribute('lang', /^(en|sv|nl)$/);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the daily email is turned on and off from the account page, in Swedish', async ({ page }) => {
		await signIn(page, 'sofie@kvarter.demo');
		await page.goto('/account?lang=sv');
		const box = page.getByLabel('Mejla mig varje morgon vad som väntar på mig (bara de dagar något gör det)');
		await box.check();
		await page.getByRole('button', { name: 'Spara val av mejl' }).click();
		await expect(page.getByRole('status')).toHaveText('Du får det dagliga mejlet.');
		await page.goto('/account?lang=sv');
		await expect(box).toBeChecked();
		await box.uncheck();
		await page.getByRole('button', { name: 'Spara val av mejl' }).click();
		await expect(page.getByRole('status')).toHaveText('Du får inte det dagliga mejlet.');
		await page.goto('/account?lang=sv');
		await expect(box).not.toBeChecked();
	});
});
