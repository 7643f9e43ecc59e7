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

test('finance: recently paid payments carry no open form (one stop each, opened on request)', async ({ page }) => {
	await signIn(page, 'finance@kvarter.demo');
	await page.goto('/finance?lang=en');
	const paid = page.locator('section[aria-labelledby="paid-title"]');
	await expect(paid.locator('details').first()).toBeVisible();
	await expect(paid.locator('input[name="reason"]:visible')).toHaveCount(0);
	await paid.locator('summary').first().click();
	await expect(paid.locator('input[name="reason"]:visible')).toHaveCount(1);
	await expectAccessible(page);
});

test('staff pages use a wide screen: the ranking fits at 1280 px without scrolling sideways', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 800 });
	await signIn(page, 'officer@kvarter.demo');
	await page.goto('/calls?lang=en');
	const href = await page.getByRole('link', { name: 'Mötesplatser i kvarteret 2027' }).getAttribute('href');
	await page.goto(`/staff${href}/ranking?lang=en`);
	const region = page.locator('.table-region').first();
	await expect(region).toBeVisible();
	const { scroll, client } = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
	expect(scroll).toBeLessThanOrEqual(client + 1);
	// The main navigation keeps to one row for an officer (account and languages sit above it).
	const nav = await page.locator('.site-header .site-nav > ul').evaluate((el) => el.getBoundingClientRect().height);
	expect(nav).toBeLessThan(50);
	await expectAccessible(page);
});

for (const lang of ['en', 'sv'] as const) {
	test(`the footer leads to a contact page, the accessibility statement and the privacy notice (${lang})`, async ({ page }) => {
		await page.goto(`/?lang=${lang}`);
		await page.locator('.site-footer a[href="/accessibility"]').click();
		// The EU model statement: compliance status, known problems, how it was prepared, a real contact, the enforcement body.
		await expect(page.getByRole('heading', { level: 2 })).toHaveText(
			lang === 'sv'
				? ['Hur tillgänglig är portalen?', 'Innehåll som inte är tillgängligt', 'Det här kan du göra', 'Hur vi har testat portalen', 'Återkoppling och kontakt', 'Tillsyn']
				: ['Compliance status', 'Content that is not accessible', 'What you can do', 'How this statement was prepared', 'Feedback and contact', 'Enforcement procedure']
		);
		await expect(page.getByRole('link', { name: 'Myndigheten för digital förvaltning (DIGG)' })).toHaveAttribute('href', 'https://www.digg.se/tdosanmalan');
		await expect(page.getByRole('link', { name: 'kvarter@alvstad.example' })).toHaveAttribute('href', 'mailto:kvarter@alvstad.example');
		await expectAccessible(page);
		await page.locator('.site-footer a[href="/contact"]').click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(lang === 'sv' ? 'Kontakt' : 'Contact');
		await expect(page.getByRole('link', { name: '0123-45 67 00' })).toHaveAttribute('href', 'tel:0123456700');
		await expectAccessible(page);
		await page.locator('.site-footer a[href="/privacy"]').click();
		await expect(page.getByRole('link', { name: 'Integritetsskyddsmyndigheten (IMY)' })).toBeVisible();
		await expectAccessible(page);
	});
}

test('texts people write are marked with their language on pages in another one (WCAG 3.1.2)', async ({ page }) => {
	// The demo municipality writes its calls in Swedish; Grace writes in English.
	await page.goto('/calls?lang=en');
	await page.getByRole('link', { name: 'Mötesplatser i kvarteret 2027' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveAttribute('lang', 'sv');
	await expect(page.locator('.prose')).toHaveAttribute('lang', 'sv');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expectAccessible(page);
	await page.goto('/projects?lang=nl');
	const first = page.locator('main h2 a[href^="/projects/"]').first();
	await expect(first).toHaveAttribute('lang', /^(en|sv|nl)$/);
	const lang = await first.getAttribute('lang');
	await first.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveAttribute('lang', lang!);
	await expectAccessible(page);
	// Lists too: the staff list marks each application title and its call.
	await signIn(page, 'officer@kvarter.demo');
	await page.goto('/staff/applications?lang=en');
	await expect(page.locator('main table a[href^="/staff/applications/"]').first()).toHaveAttribute('lang', /^(en|sv|nl|ar)$/);
	await expect(page.locator('main table small[lang="sv"]').first()).toHaveText(/Mötesplatser|Läxhjälp|Sommarlov/);
});
