import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signIn, waitForMail } from './helpers.ts';

// The demo call in review whose pool is appointed but nobody assigned yet.
const CALL = 'Kulturmöten i kvarteret 2026';
const FUND = 'Integrationsfonden Älvstad 2027';
const OWNER_EMAIL: Record<string, string> = {
	'Amina Hassan': 'amina@kvarter.demo',
	'Norrbacka Idrottsförening': 'amina@kvarter.demo',
	'Joost De Smet': 'joost@kvarter.demo',
	'Buurtgroep De Brug': 'joost@kvarter.demo',
	'Grace Okafor': 'grace@kvarter.demo'
};

async function as(browser: Browser, email: string, javaScriptEnabled = true) {
	const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
	await signIn(page, email);
	return page;
}

async function openCall(page: Page, sub: 'Reviewers of the call' | 'Ranking and decisions') {
	await page.goto('/staff/funds');
	await page.getByRole('link', { name: FUND }).click();
	await page.getByRole('link', { name: CALL }).click();
	await page.getByRole('link', { name: sub }).first().click();
}

/** Titles in a reviewer's queue that belong to the call. */
async function queue(page: Page) {
	await page.goto('/reviews');
	const cards = page.locator('.card').filter({ hasText: CALL });
	return (await cards.getByRole('heading').allTextContents()).map((s) => s.trim());
}

async function scoreAndSubmit(page: Page, score: number, opts: { draftFirst?: boolean; axe?: boolean } = {}) {
	const groups = page.locator('fieldset[id^="field-score-"]');
	for (let i = 0; i < (await groups.count()); i++) {
		await groups.nth(i).getByRole('radio', { name: String(score), exact: true }).check();
	}
	const justifications = page.getByLabel(/^Why this score for/);
	for (let i = 0; i < (await justifications.count()); i++) await justifications.nth(i).fill('A clear plan that brings neighbours together.');
	await page.getByRole('radio', { name: 'Fund', exact: true }).check();
	if (opts.draftFirst) {
		await page.getByRole('button', { name: 'Save draft' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Your draft review is saved.' })).toBeVisible();
		if (opts.axe) await expectAccessible(page);
	}
	await page.getByRole('button', { name: 'Submit review' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Your review is submitted' })).toBeVisible();
}

async function declare(page: Page, title: string, conflict: false | string) {
	await page.goto('/reviews');
	await page.getByRole('link', { name: title }).click();
	if (conflict) {
		await page.getByRole('radio', { name: 'Yes, I have a conflict' }).check();
		await page.getByLabel('Reason (if you have a conflict)').fill(conflict);
	} else {
		await page.getByRole('radio', { name: 'No, I have no conflict' }).check();
	}
	await page.getByRole('button', { name: 'Confirm' }).click();
}

test.describe.serial('review and decisions', () => {
	let shared = '';

	test('the officer assigns the call’s reviewers automatically', async ({ browser }) => {
		const officer = await as(browser, 'officer@kvarter.demo');
		await openCall(officer, 'Reviewers of the call');
		await expectAccessible(officer);
		await officer.getByRole('button', { name: 'Assign reviewers automatically' }).click();
		await expect(officer.getByRole('status').filter({ hasText: 'Assignments made: 12' })).toBeVisible();
		await expectAccessible(officer);
	});

	test('one reviewer scores; another saves a draft, submits and then sees the first review', async ({ browser }) => {
		const ruben = await as(browser, 'ruben@kvarter.demo');
		const fatima = await as(browser, 'reviewer@kvarter.demo');
		const rubens = await queue(ruben);
		const fatimas = await queue(fatima);
		shared = rubens.find((t) => fatimas.includes(t))!;
		expect(shared).toBeTruthy();

		await declare(ruben, shared, false);
		await expect(ruben.getByRole('status').filter({ hasText: 'You can now read and score' })).toBeVisible();
		await scoreAndSubmit(ruben, 4);

		await fatima.goto('/reviews');
		await expectAccessible(fatima);
		await declare(fatima, shared, false);
		await expectAccessible(fatima);
		// Nothing of the other review shows before her own is in.
		await expect(fatima.getByRole('heading', { name: 'Other reviews' })).toHaveCount(0);
		await scoreAndSubmit(fatima, 5, { draftFirst: true, axe: true });
		await expect(fatima.getByRole('heading', { name: 'Other reviews' })).toBeVisible();
		await expect(fatima.getByRole('heading', { name: /Reviewer 1: 75 \/ 100 · Fund/ })).toBeVisible();
		await expectAccessible(fatima);
	});

	test('a reviewer declares a conflict and the application returns to the pool', async ({ browser }) => {
		const lotte = await as(browser, 'lotte@kvarter.demo');
		const [title] = await queue(lotte);
		await declare(lotte, title, 'I sing in this choir myself.');
		await expect(lotte.getByRole('status').filter({ hasText: 'gone back to be given to another reviewer' })).toBeVisible();
		expect(await queue(lotte)).not.toContain(title);
		const officer = await as(browser, 'officer@kvarter.demo');
		await openCall(officer, 'Reviewers of the call');
		await officer.getByRole('button', { name: 'Assign reviewers automatically' }).click();
		await expect(officer.getByRole('status').filter({ hasText: 'Assignments made: 1' })).toBeVisible();
	});

	test.describe('without JavaScript', () => {
		test('a reviewer declares, scores and submits with plain form posts', async ({ browser }) => {
			const lotte = await as(browser, 'lotte@kvarter.demo', false);
			const [title] = await queue(lotte);
			await declare(lotte, title, false);
			await scoreAndSubmit(lotte, 3, { draftFirst: true });
			await expect(lotte.getByRole('heading', { name: 'Your submitted review' })).toBeVisible();
		});
	});

	test('the officer reads the ranking, previews the top five, approves three (one reduced) and rejects one', async ({ browser }) => {
		const officer = await as(browser, 'officer@kvarter.demo');
		await openCall(officer, 'Ranking and decisions');
		await expectAccessible(officer);
		await expect(officer.getByRole('row').nth(1)).toContainText(shared);
		await officer.getByRole('link', { name: 'Preview the split of the top 5' }).click();
		await expect(officer.getByRole('heading', { name: /Split of the selection: 5 applications/ })).toBeVisible();
		for (const h of ['By neighbourhood', 'Priority neighbourhoods and others', 'By kind of applicant', 'First-time and returning applicants']) {
			await expect(officer.getByRole('heading', { name: h })).toBeVisible();
		}
		await expectAccessible(officer);
		const forms = officer.locator('form[action="?/decide"] fieldset.card');
		await expect(forms).toHaveCount(5);
		const titles: string[] = [];
		for (let i = 0; i < 4; i++) {
			const f = forms.nth(i);
			titles.push((await f.locator('legend').textContent())!.replace(/ \(SEK.*$/, '').trim());
			await f.getByRole('radio', { name: i < 3 ? 'Approve' : 'Reject' }).check();
		}
		await forms.nth(1).getByLabel('Amount to award (SEK)').fill('5000');
		await forms.nth(0).getByLabel('Conditions (when approving)').fill('Invite the whole street.');
		await forms.nth(3).getByLabel('Reason (when rejecting)').fill('Other projects reach more neighbours this time.');
		await officer.getByRole('button', { name: 'Record the decisions' }).click();
		await expect(officer.getByRole('status').filter({ hasText: 'Decisions recorded: 4' })).toBeVisible();
		const approvedRow = officer.getByRole('row').filter({ hasText: titles[0] });
		await expect(approvedRow).toContainText('Approved');
		const reducedRow = officer.getByRole('row').filter({ hasText: titles[1] });
		await expect(reducedRow).toContainText('SEK 5,000');

		// The applicant of the first approval sees the decision and gets the email.
		const applicantName = (await approvedRow.locator('small').first().textContent())!.split(' · ')[0].trim();
		const email = OWNER_EMAIL[applicantName];
		expect(email).toBeTruthy();
		const applicant = await as(browser, email);
		await applicant.goto('/applications');
		await applicant.getByRole('link', { name: titles[0] }).click();
		await expect(applicant.getByRole('heading', { name: 'Grant approved' })).toBeVisible();
		await expect(applicant.getByText('Invite the whole street.')).toBeVisible();
		await expectAccessible(applicant);
		const mail = await waitForMail(email, /approved|beviljats|goedgekeurd/);
		expect(mail.text).toContain(titles[0]);
	});
});

test('an applicant cannot reach review pages, and a reviewer cannot open another reviewer’s assignment', async ({ browser }) => {
	const applicant = await as(browser, 'grace@kvarter.demo');
	expect((await applicant.goto('/reviews'))?.status()).toBe(403);
	const fatima = await as(browser, 'reviewer@kvarter.demo');
	await fatima.goto('/reviews');
	const first = await fatima.locator('.card a').first().getAttribute('href');
	const ruben = await as(browser, 'ruben@kvarter.demo');
	expect((await ruben.goto(first!))?.status()).toBe(404);
	expect((await ruben.goto('/staff/applications'))?.status()).toBe(403);
});
