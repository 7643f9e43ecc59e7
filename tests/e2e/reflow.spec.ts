import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers.ts';

/**
 * WCAG 1.4.10 Reflow: at 320 CSS pixels wide no page of any role's navigation scrolls sideways
 * (a wide data table may scroll inside its own region, never the page).
 */
test.use({ viewport: { width: 320, height: 640 } });

const ROLES: { who: string | null; pages: string[] }[] = [
	{ who: null, pages: ['/', '/calls', '/projects', '/statistics', '/open-data', '/accessibility', '/contact', '/privacy', '/sign-in', '/sign-up'] },
	{ who: 'amina@kvarter.demo', pages: ['/todo', '/applications', '/grants', '/organisations', '/account'] },
	{ who: 'reviewer@kvarter.demo', pages: ['/reviews', '/reviews/ties'] },
	{ who: 'officer@kvarter.demo', pages: ['/staff/applications', '/staff/grants', '/staff/statistics', '/staff/funds', '/staff/neighbourhoods', '/staff/organisations'] },
	{ who: 'finance@kvarter.demo', pages: ['/finance', '/finance/batches', '/finance/repayments'] },
	{ who: 'admin@kvarter.demo', pages: ['/admin/users', '/admin/audit', '/admin/outbox'] }
];

async function sideways(page: Page) {
	return page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		const wide = [...document.querySelectorAll('body *')]
			.filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-region, .visually-hidden, .skip-link'))
			.slice(0, 3)
			.map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}`);
		// The header's parts (name, languages and account, navigation) never overlap one another.
		const parts = ['.brand', '.site-header .tools', '.site-header .nav-row'].map((q) => document.querySelector(q)!.getBoundingClientRect());
		const overlap = parts.some((a, i) => parts.some((b, j) => j > i && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1));
		return { scroll: document.documentElement.scrollWidth > width || overlap, wide: overlap ? ['header parts overlap', ...wide] : wide };
	});
}

for (const { who, pages } of ROLES) {
	for (const lang of ['en', 'nl', 'ar'] as const) {
		test(`${who ?? 'a visitor'}: no page scrolls sideways at 320 px (${lang})`, async ({ page }) => {
			if (who) await signIn(page, who);
			const found: string[] = [];
			for (const path of pages) {
				await page.goto(`${path}?lang=${lang}`);
				const s = await sideways(page);
				if (s.scroll) found.push(`${path}: ${s.wide.join(', ')}`);
			}
			expect(found).toEqual([]);
		});
	}
}

test('the application and report forms and a project in the register reflow at 320 px', async ({ page }) => {
	test.setTimeout(180_000);
	const found: string[] = [];
	const check = async (label: string) => {
		const s = await sideways(page);
		if (s.scroll) found.push(`${label}: ${s.wide.join(', ')}`);
	};
	// Amina's draft (demo data): the application form with its budget table and file field.
	await signIn(page, 'amina@kvarter.demo');
	await page.goto('/applications?lang=nl');
	await page.locator('main a[href^="/applications/"]').first().waitFor();
	const apps = await page.locator('main a[href^="/applications/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
	let form = false;
	for (const href of apps) {
		await page.goto(`${href.replace(/\/edit$/, '')}/edit?lang=nl`);
		if ((await page.locator('input[type="file"]').count()) === 0) continue;
		form = true;
		await check('application form');
		break;
	}
	expect(form, 'an application form was found').toBe(true);
	// A grantee's report form: the first report link among the demo grantees' grants.
	let report = false;
	for (const who of ['amina@kvarter.demo', 'joost@kvarter.demo', 'grace@kvarter.demo']) {
		await signIn(page, who);
		await page.goto('/grants?lang=nl');
		const grants = await page.locator('main a[href^="/grants/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		for (const href of grants) {
			await page.goto(`${href}?lang=nl`);
			const link = page.locator('main a[href*="/reports/"]').first();
			if ((await link.count()) === 0) continue;
			await link.click();
			await page.locator('h1').waitFor();
			await check(`report form ${page.url()}`);
			report = true;
			break;
		}
		if (report) break;
	}
	expect(report, 'a report form was found').toBe(true);
	await page.goto('/projects?lang=nl');
	await page.locator('main a[href^="/projects/"]').first().click();
	await page.locator('h1').waitFor();
	await check('project page');
	expect(found).toEqual([]);
});

test('charts stay readable on a phone: text at reading size, a legend with colour samples', async ({ page }) => {
	await page.goto('/statistics?lang=en');
	const sizes = await page.locator('.bar-label, .bar-value').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
	expect(sizes.length).toBeGreaterThan(3);
	expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
	const swatches = await page.locator('.legend .swatch').evaluateAll((els) => els.map((e) => ({ w: e.getBoundingClientRect().width, bg: getComputedStyle(e).backgroundImage + getComputedStyle(e).backgroundColor })));
	expect(swatches.length).toBeGreaterThanOrEqual(6);
	for (const s of swatches) {
		expect(s.w).toBeGreaterThanOrEqual(16);
		expect(s.bg).not.toBe('nonergba(0, 0, 0, 0)');
	}
	// Bars never overlap their labels: each label sits beside or above its own bar.
	const overlaps = await page.locator('.bar-row').evaluateAll((rows) =>
		rows.filter((r) => {
			const l = r.querySelector('.bar-label')!.getBoundingClientRect();
			const v = r.querySelector('.bar-value')!.getBoundingClientRect();
			return l.bottom > v.top + 1 && l.right > v.left + 1 && v.right > l.left + 1;
		}).length
	);
	expect(overlaps).toBe(0);
});
