import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, signIn, waitForMail } from './helpers.ts';

const SWIM = 'Simskola för nyanlända barn';
const LIBRARY = 'Läxhjälp i Norrbacka bibliotek';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function as(browser: Browser, email: string, javaScriptEnabled = true) {
	const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
	await signIn(page, email);
	return page;
}

async function openGrant(page: Page, title: string) {
	await page.goto('/grants');
	await page.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	return page.url().match(/grants\/([a-z0-9-]+)/)![1];
}

test.describe.serial('the life of a grant', () => {
	let grantUrl = '';

	test('the applicant accepts the offer with an IBAN (after a wrong one) and the officer sees the first tranche due', async ({ browser }) => {
		const amina = await as(browser, 'amina@kvarter.demo');
		await openGrant(amina, SWIM);
		grantUrl = amina.url();
		await expectAccessible(amina);
		await amina.getByLabel('Account number').fill('SE45 5000 0000 0583 9825 7467');
		await amina.getByLabel("Account holder's name").fill('Norrbacka Idrottsförening');
		await amina.getByLabel('I have read the terms and accept them for the applicant').check();
		await amina.getByRole('button', { name: 'Accept the grant' }).click();
		await expect(amina.locator('#field-account-error')).toContainText('Enter a valid IBAN');
		await expectAccessible(amina);
		// What was typed and ticked stays: only the account number needs correcting.
		await expect(amina.getByLabel('I have read the terms and accept them for the applicant')).toBeChecked();
		await expect(amina.getByLabel("Account holder's name")).toHaveValue('Norrbacka Idrottsförening');
		await amina.getByLabel('Account number').fill('SE45 5000 0000 0583 9825 7466');
		await amina.getByRole('button', { name: 'Accept the grant' }).click();
		await expect(amina.getByRole('status').filter({ hasText: 'The grant is accepted' })).toBeVisible();
		await expect(amina.getByText('Bank account (IBAN): SE45 5000 0000 0583 9825 7466')).toBeVisible();
		// Accepting twice is refused (a second post of the same form).
		const again = await amina.request.post(`${grantUrl}?/accept`, {
			form: { kind: 'iban', account: 'SE4550000000058398257466', holderName: 'X', termsAccepted: 'on' },
			headers: { origin: 'http://localhost:4173', accept: 'text/html' }
		});
		expect(again.status()).toBe(409);

		const officer = await as(browser, 'officer@kvarter.demo');
		await officer.goto('/staff/grants');
		await expectAccessible(officer);
		await officer.getByRole('link', { name: SWIM }).click();
		await expect(officer.getByRole('listitem').filter({ hasText: 'when the grant is accepted' })).toContainText('Due for payment');
		await expect(officer.getByRole('listitem').filter({ hasText: 'after the final report' })).toContainText('Scheduled');
		await expectAccessible(officer);
	});

	test('the grantee reports with a photo; the officer asks for changes; the grantee resubmits; the officer accepts, the last tranche is due and the grant completes', async ({ browser }) => {
		const amina = await as(browser, 'amina@kvarter.demo');
		await amina.goto(grantUrl);
		// The final report is named in the grantee's language (Amina writes Swedish), whatever page language.
		await amina.getByRole('link', { name: 'Slutrapport' }).click();
		await expectAccessible(amina);
		await amina.getByLabel('What was done').fill('Tio veckor simskola med 28 barn; 21 kan nu simma 200 meter.');
		await amina.getByLabel('People who took part').fill('28');
		await amina.getByLabel('Norrbacka').fill('25');
		await amina.getByLabel('Spent on Simhallstider').fill('15000');
		await amina.getByLabel('Spent on Simlärare').fill('12000');
		// Spending that does not add up with the unspent money is refused.
		await amina.getByLabel('Money not spent').fill('1000');
		await amina.getByRole('button', { name: 'Send report' }).click();
		await expect(amina.getByRole('alert')).toContainText('What you spent plus what is left must equal the grant');
		await expectAccessible(amina);
		await amina.getByLabel('Money not spent').fill('3000');
		await amina.getByLabel('Choose a file').setInputFiles({ name: 'simskola.png', mimeType: 'image/png', buffer: PNG });
		await amina.getByRole('button', { name: 'Add the file' }).click();
		await expect(amina.getByRole('status').filter({ hasText: 'File added: simskola.png' })).toBeVisible();
		// What was typed before adding the photo is kept.
		await expect(amina.getByLabel('What was done')).toHaveValue('Tio veckor simskola med 28 barn; 21 kan nu simma 200 meter.');
		await amina.getByRole('button', { name: 'Send report' }).click();
		await expect(amina.getByRole('status').filter({ hasText: 'Your report has been sent' })).toBeVisible();

		const officer = await as(browser, 'officer@kvarter.demo');
		await officer.goto(amina.url());
		await expectAccessible(officer);
		await officer.getByRole('radio', { name: 'Ask for changes' }).check();
		await officer.getByLabel('Message to the grantee').fill('Please add where the children live.');
		await officer.getByRole('button', { name: 'Record the outcome' }).click();
		await expect(officer.getByRole('status').filter({ hasText: 'asked for changes' })).toBeVisible();
		await waitForMail('amina@kvarter.demo', /ändra din rapport|change your report/);

		await amina.reload();
		await expect(amina.getByText('Please add where the children live.')).toBeVisible();
		await amina.getByLabel('Norrbacka').fill('28');
		await amina.getByRole('button', { name: 'Send report' }).click();
		await expect(amina.getByRole('status').filter({ hasText: 'Your report has been sent' })).toBeVisible();

		await officer.reload();
		await officer.getByRole('radio', { name: 'Accept the report' }).check();
		await officer.getByRole('button', { name: 'Record the outcome' }).click();
		await expect(officer.getByRole('status').filter({ hasText: 'The report is accepted.' })).toBeVisible();
		await officer.goto(grantUrl);
		await expect(officer.getByText('Reports done').first()).toBeVisible();
		await expect(officer.getByRole('listitem').filter({ hasText: 'after the final report' })).toContainText('Due for payment');
		await expect(officer.getByText('SEK 3,000').first()).toBeVisible();
		await expectAccessible(officer);
	});

	test('reports on someone else’s grant are "not found"', async ({ browser }) => {
		const grace = await as(browser, 'grace@kvarter.demo');
		expect((await grace.goto(grantUrl))?.status()).toBe(404);
	});

	test.describe('without JavaScript', () => {
		test('the grantee accepts with a bankgiro number and sends a report with a photo', async ({ browser }) => {
			const amina = await as(browser, 'amina@kvarter.demo', false);
			await openGrant(amina, LIBRARY);
			await amina.getByRole('radio', { name: 'Bankgiro' }).check();
			await amina.getByLabel('Account number').fill('5050-1056');
			await amina.getByLabel("Account holder's name").fill('Norrbacka Idrottsförening');
			await amina.getByLabel('I have read the terms and accept them for the applicant').check();
			await amina.getByRole('button', { name: 'Accept the grant' }).click();
			await expect(amina.locator('#field-account-error')).toContainText('Enter a valid bankgiro number');
			await amina.getByRole('radio', { name: 'Bankgiro' }).check();
			await amina.getByLabel('Account number').fill('5050-1055');
			await amina.getByLabel('I have read the terms and accept them for the applicant').check();
			await amina.getByRole('button', { name: 'Accept the grant' }).click();
			await expect(amina.getByRole('status').filter({ hasText: 'The grant is accepted' })).toBeVisible();
			await amina.getByRole('link', { name: 'Delrapport efter första terminen' }).click();
			await amina.getByLabel('What was done').fill('Läxhjälp tisdagar och torsdagar hela hösten.');
			await amina.getByLabel('People who took part').fill('30');
			await amina.getByLabel('Choose a file').setInputFiles({ name: 'laxhjalp.png', mimeType: 'image/png', buffer: PNG });
			await amina.getByRole('button', { name: 'Add the file' }).click();
			await expect(amina.getByRole('status').filter({ hasText: 'File added' })).toBeVisible();
			await amina.getByRole('button', { name: 'Send report' }).click();
			await expect(amina.getByRole('status').filter({ hasText: 'Your report has been sent' })).toBeVisible();
		});
	});
});

test('reporting on a cancelled (declined) grant is refused and changes nothing', async ({ browser }) => {
	const officer = await as(browser, 'officer@kvarter.demo');
	await officer.goto('/staff/grants?status=cancelled');
	await expect(officer.getByRole('status')).toHaveText('Grants found: 1');
	await officer.locator('table a').first().click();
	await expect(officer).toHaveURL(/\/grants\/[a-z0-9-]+$/);
	const grant = officer.url();
	await expect(officer.getByText('Cancelled', { exact: true }).first()).toBeVisible();
	const reportLink = await officer.getByRole('link', { name: 'Delrapport efter första terminen' }).getAttribute('href');
	// The demo's declined grant is Norrbacka Idrottsförening's, whose owner is Amina.
	const grantee = await as(browser, 'amina@kvarter.demo');
	const res = await grantee.request.post(`${reportLink}?/save`, { form: { narrative: 'Sneaky', participants: '3' }, headers: { origin: 'http://localhost:4173', accept: 'text/html' } });
	expect(res.status()).toBe(409);
	await officer.goto(grant);
	await expect(officer.getByText('Cancelled', { exact: true }).first()).toBeVisible();
	await expect(officer.getByRole('listitem').filter({ hasText: 'Delrapport' })).toContainText('not started');
});
