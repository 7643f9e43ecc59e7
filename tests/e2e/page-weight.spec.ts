import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers.ts';

/**
 * A page downloads its own language's texts and no other's — on a public page only the texts
 * public pages use — yet pages the browser renders itself (a link followed after the scripts
 * started) are still in that language, public or not.
 */
test('a Dutch public page loads only the public Dutch texts, and the rest before a page that needs them', async ({ page }) => {
	const scripts = new Map<string, string>();
	page.on('response', async (response) => {
		const url = new URL(response.url());
		if (url.pathname.startsWith('/_app/immutable/') && url.pathname.endsWith('.js')) scripts.set(url.pathname, await response.text());
	});
	const messageFiles = () => [...scripts.keys()].filter((p) => p.startsWith('/_app/immutable/messages/')).sort();
	await page.goto('/sign-in?lang=nl&next=/applications');
	await page.waitForFunction(() => document.documentElement.classList.contains('js'));
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
	await expect(page.locator('html')).toHaveAttribute('data-texts', 'public');

	// Followed by the browser's router: rendered by the scripts, with the texts they loaded.
	await page.locator('header nav a[href="/calls"]').click();
	await expect(page).toHaveURL(/\/calls$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Oproepen voor projecten');
	await expect(page.locator('header nav a[href="/projects"]')).toHaveText('Gesteunde projecten');
	expect(messageFiles()).toHaveLength(1);
	expect(messageFiles()[0]).toMatch(/\/messages\/nl\.public\.[\w-]+\.js$/);
	const publicTexts = scripts.get(messageFiles()[0])!;
	expect(publicTexts).not.toContain('Aanvragen: {count}');
	for (const [path, body] of scripts) {
		for (const other of ['Beviljade projekt', 'Funded projects', 'المشاريع المموَّلة']) expect(body.includes(other), `${path} holds "${other}"`).toBe(false);
	}

	// Signing in leads the router to a page that is not public: all Dutch texts come first.
	await page.goBack();
	await expect(page).toHaveURL(/\/sign-in/);
	await page.getByLabel('E-mailadres').fill('amina@kvarter.demo');
	await page.getByLabel('Wachtwoord', { exact: true }).fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Aanmelden' }).click();
	await expect(page).toHaveURL(/\/applications$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn aanvragen');
	await expect(page.locator('p.count')).toHaveText(/^Aanvragen: \d+$/);
	expect(messageFiles()).toHaveLength(2);
	expect(messageFiles().find((p) => !p.includes('.public.'))).toMatch(/\/messages\/nl\.[\w-]+\.js$/);
});

/** A public page's JavaScript, all of it and compressed as it is sent: at most 60 KB (Arabic has the longest texts). */
for (const [path, lang] of [['/', 'sv'], ['/calls', 'sv'], ['/calls', 'ar']]) {
	test(`the scripts of ${path} in ${lang} weigh at most 60 KB compressed`, async ({ page }) => {
		const sizes = new Map<string, number>();
		page.on('response', async (response) => {
			const url = new URL(response.url());
			if (url.pathname.endsWith('.js')) sizes.set(url.pathname, gzipSync(await response.body()).byteLength);
		});
		await page.goto(`${path}?lang=${lang}`);
		await page.waitForFunction(() => document.documentElement.classList.contains('js'));
		await page.waitForLoadState('networkidle');
		expect([...sizes.keys()].filter((p) => p.includes('/messages/'))).toEqual([expect.stringMatching(new RegExp(`/messages/${lang}\\.public\\.`))]);
		const total = [...sizes.values()].reduce((a, b) => a + b, 0);
		expect(total).toBeGreaterThan(20_000);
		expect(total).toBeLessThan(60_000);
	});
}

/** Pages reach the browser gzip-compressed (the static scripts are compressed at build time). */
test('pages and their data are sent compressed', async ({ page }) => {
	const response = await page.goto('/projects');
	expect(response?.status()).toBe(200);
	expect(await response?.headerValue('content-encoding')).toBe('gzip');
	expect(await response?.headerValue('vary')).toContain('Accept-Encoding');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	// The same page's data as the browser's router asks for it, and nothing for a client without gzip.
	const data = await page.request.get('/projects/__data.json', { headers: { 'accept-encoding': 'gzip' } });
	expect([data.status(), data.headers()['content-encoding']]).toEqual([200, 'gzip']);
	const plain = await page.request.get('/projects', { headers: { 'accept-encoding': 'identity' } });
	expect([plain.status(), plain.headers()['content-encoding']]).toEqual([200, undefined]);
});
