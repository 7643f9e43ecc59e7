import { expect, test } from '@playwright/test';

/**
 * A page downloads its own language's texts and no other's: one file of messages, in the page's
 * language, and no script carrying another language's words — yet pages the browser renders
 * itself (a link followed after the scripts started) are still in that language.
 */
test('a Dutch page loads only Dutch texts, and pages rendered in the browser are Dutch too', async ({ page }) => {
	const scripts = new Map<string, string>();
	page.on('response', async (response) => {
		const url = new URL(response.url());
		if (url.pathname.startsWith('/_app/immutable/') && url.pathname.endsWith('.js')) scripts.set(url.pathname, await response.text());
	});
	await page.goto('/sign-in?lang=nl');
	await page.waitForFunction(() => document.documentElement.classList.contains('js'));
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');

	// Followed by the browser's router: rendered by the scripts, with the texts they loaded.
	await page.locator('header nav a[href="/calls"]').click();
	await expect(page).toHaveURL(/\/calls$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Oproepen voor projecten');
	await expect(page.locator('header nav a[href="/projects"]')).toHaveText('Gesteunde projecten');

	const messageFiles = [...scripts.keys()].filter((p) => p.startsWith('/_app/immutable/messages/'));
	expect(messageFiles).toHaveLength(1);
	expect(messageFiles[0]).toMatch(/\/messages\/nl\.[\w-]+\.js$/);
	for (const [path, body] of scripts) {
		for (const other of ['Beviljade projekt', 'Funded projects', 'المشاريع المموَّلة']) expect(body.includes(other), `${path} holds "${other}"`).toBe(false);
	}
	// All the page's scripts together (uncompressed): a fraction of the 620 KB they were when
	// every page carried all four languages.
	const total = [...scripts.values()].reduce((sum, body) => sum + Buffer.byteLength(body), 0);
	expect(total).toBeLessThan(350_000);
});

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
