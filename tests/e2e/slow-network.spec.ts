import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers.ts';

/**
 * On a slow phone people type before the page's scripts have loaded. Hydration must never wipe
 * what they typed. The scripts are held back until the text is in, then let through.
 */
async function holdScripts(page: Page) {
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	await page.route('**/_app/immutable/**', async (route) => {
		await gate;
		await route.continue();
	});
	return async () => {
		release();
		await page.waitForFunction(() => document.documentElement.classList.contains('js'));
	};
}

test('a message typed before the scripts load is still there after they load', async ({ page }) => {
	await signIn(page, 'amina@kvarter.demo');
	await page.goto('/applications');
	const href = await page.locator('main a[href^="/applications/"]').first().getAttribute('href');
	const load = await holdScripts(page);
	await page.goto(href!, { waitUntil: 'commit' });
	await expect(page.locator('html')).not.toHaveClass(/\bjs\b/);
	const text = 'Hej! Vi undrar om vi får använda pengarna till fika för deltagarna.';
	await page.locator('textarea[name="body"]').fill(text);
	await load();
	await expect(page.locator('textarea[name="body"]')).toHaveValue(text);
});

test('a search typed before the scripts load is the one that is searched', async ({ page }) => {
	await signIn(page, 'officer@kvarter.demo');
	const load = await holdScripts(page);
	await page.goto('/staff/applications', { waitUntil: 'commit' });
	await page.locator('input[name="q"]').fill('läxhjälp');
	await load();
	await expect(page.locator('input[name="q"]')).toHaveValue('läxhjälp');
	await page.locator('input[name="q"]').press('Enter');
	await expect(page).toHaveURL(/[?&]q=l%C3%A4xhj%C3%A4lp/);
});
