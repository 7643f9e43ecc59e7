import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn, uniqueOrgNumber, waitForMail } from './helpers.ts';

// One call for the whole file: the officer publishes it, applicants apply to it three ways.
const CALL = `Grannskap i rörelse ${Date.now().toString(36)}`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Clicks like a mouse user, or focuses and presses Enter/Space like a keyboard user. */
async function press(page: Page, keyboard: boolean, target: ReturnType<Page['getByRole']>) {
	if (!keyboard) return target.click();
	await target.focus();
	const role = await target.evaluate((el) => (el as HTMLInputElement).type);
	await page.keyboard.press(role === 'checkbox' || role === 'radio' ? 'Space' : 'Enter');
}

/** Ticks a checkbox or radio if it is not ticked yet. */
async function tick(page: Page, keyboard: boolean, target: ReturnType<Page['getByRole']>) {
	if (await target.isChecked()) return;
	await press(page, keyboard, target);
	await expect(target).toBeChecked();
}

async function fill(page: Page, keyboard: boolean, label: string | RegExp, value: string) {
	const field = page.getByLabel(label, { exact: typeof label === 'string' });
	if (!keyboard) return field.fill(value);
	await field.focus();
	if ((await field.getAttribute('type')) === 'date') {
		// A date field takes its parts as typed digits (month, day, year in this browser's locale).
		const [y, mo, d] = value.split('-');
		await page.keyboard.type(`${mo}${d}${y}`);
		await expect(field).toHaveValue(value);
		return;
	}
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.type(value);
}

/** An applicant's whole part: organisation, draft with three budget lines and a PDF, save, return, submit. */
async function applicantApplies(page: Page, who: string, title: string, opts: { js: boolean; keyboard: boolean }) {
	const kb = opts.keyboard;
	await signIn(page, who);
	await page.goto('/calls');
	if (opts.js) await expectAccessible(page);
	await press(page, kb, page.getByRole('link', { name: CALL }));
	await expect(page.getByRole('heading', { level: 1, name: CALL })).toBeVisible();
	if (opts.js) await expectAccessible(page);
	await press(page, kb, page.getByRole('link', { name: 'Apply' }).first());
	await press(page, kb, page.getByRole('link', { name: 'Add your organisation first' }));
	if (opts.js) await expectAccessible(page);
	const orgName = `${title} förening`;
	await page.getByLabel('Kind of organisation').selectOption('association');
	await fill(page, kb, 'Name', orgName);
	await fill(page, kb, 'Organisation number', uniqueOrgNumber());
	await page.getByLabel('Neighbourhood').selectOption({ label: 'Norrbacka' });
	await press(page, kb, page.getByRole('button', { name: 'Add organisation' }));
	await expect(page.getByRole('heading', { level: 1, name: 'Start an application' })).toBeVisible();
	await tick(page, kb, page.getByRole('radio', { name: new RegExp(orgName) }));
	await press(page, kb, page.getByRole('button', { name: 'Start the application' }));
	await expect(page.getByRole('status').filter({ hasText: 'saved as a draft' })).toBeVisible();
	if (opts.js) await expectAccessible(page);

	await fill(page, kb, 'Title', title);
	await fill(page, kb, 'Summary', 'Homework help and fika for children in Norrbacka, twice a week.');
	await fill(page, kb, 'Description', 'Volunteers from the association open the library on Tuesdays and Thursdays.');
	// The organisation's neighbourhood is already ticked.
	await expect(page.getByRole('checkbox', { name: 'Norrbacka' })).toBeChecked();
	await tick(page, kb, page.getByRole('checkbox', { name: 'Children' }));
	await fill(page, kb, 'Expected number of participants', '40');
	await fill(page, kb, 'Start date', '2027-02-01');
	await fill(page, kb, 'End date', '2027-06-15');
	const lines: [string, string, string][] = [['Fika', 'food', '6000'], ['Books', 'materials', '4 000'], ['Posters', 'communication', '2000']];
	for (const [i, [item, category, amount]] of lines.entries()) {
		await fill(page, kb, `Line ${i + 1}: what for`, item);
		await page.getByLabel(`Line ${i + 1}: kind of cost`).selectOption(category);
		await fill(page, kb, `Line ${i + 1}: amount`, amount);
	}
	await press(page, kb, page.getByRole('button', { name: 'Save draft' }));
	await expect(page.getByRole('status').filter({ hasText: 'Your draft was saved' })).toBeVisible();
	await expect(page.getByText('Budget lines add up to: SEK 12,000')).toBeVisible();

	await page.getByLabel('Choose a file').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: PDF });
	await press(page, kb, page.getByRole('button', { name: 'Add the file' }));
	await expect(page.getByRole('status').filter({ hasText: 'File added: plan.pdf' })).toBeVisible();
	if (opts.js) await expectAccessible(page);
	// The file comes back only as a download, with its clean name and nosniff.
	const href = await page.getByRole('link', { name: 'plan.pdf' }).getAttribute('href');
	const download = await page.request.get(href!);
	expect(download.status()).toBe(200);
	expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="plan\.pdf"/);
	expect(download.headers()['x-content-type-options']).toBe('nosniff');
	expect(download.headers()['content-type']).toBe('application/pdf');
	if (opts.js && !kb) {
		// With JavaScript the draft saves itself a few seconds after a change.
		await page.getByLabel('Partners').fill('Norrbacka library');
		await expect(page.getByText('Draft saved automatically.')).toBeVisible({ timeout: 15_000 });
		await page.reload();
		await expect(page.getByLabel('Partners')).toHaveValue('Norrbacka library');
	}

	// Come back later: everything is still there.
	await page.goto('/applications');
	await press(page, kb, page.getByRole('link', { name: title }));
	await expect(page.getByRole('link', { name: 'plan.pdf' })).toBeVisible();
	await press(page, kb, page.getByRole('link', { name: 'Continue your application' }));
	await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title);
	await expect(page.getByLabel('Line 3: amount')).toHaveValue('2000');
	if (kb) {
		// Every control is reachable with Tab: from the title field, Tab reaches "Send application".
		await page.getByLabel('Title', { exact: true }).focus();
		let reached = false;
		for (let i = 0; i < 80 && !reached; i++) {
			await page.keyboard.press('Tab');
			reached = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Send application');
		}
		expect(reached).toBe(true);
		await page.keyboard.press('Enter');
	} else {
		await page.getByRole('button', { name: 'Send application' }).click();
	}
	await expect(page.getByRole('status').filter({ hasText: 'Your application has been sent' })).toBeVisible();
	await expect(page.getByText('Submitted', { exact: true }).first()).toBeVisible();
	if (opts.js) await expectAccessible(page);
	const number = Number((await page.getByText(/^Application no\. \d+/).first().textContent())!.match(/\d+/)![0]);
	const mail = await waitForMail(who, new RegExp(`\\((no\\.|nr\\.?) ${number}\\)`));
	expect(mail.text).toContain(title);
	return number;
}

test.describe.serial('calls and applications', () => {
	let number = 0;
	const title = `Läxhjälp med fika ${Date.now().toString(36)}`;

	test('an officer creates a fund and publishes a call', async ({ page }) => {
		await signIn(page, 'officer@kvarter.demo');
		await page.getByRole('link', { name: 'Case work' }).click();
		await page.getByRole('link', { name: 'Funds and calls' }).click();
		await expectAccessible(page);
		await page.getByLabel('Name of the fund').fill('Grannskapsfonden 2027');
		await page.getByLabel('Total budget').fill('500 000');
		await page.getByLabel('Period starts').fill('2027-01-01');
		await page.getByLabel('Period ends').fill('2027-12-31');
		await page.getByRole('button', { name: 'Add fund' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Grannskapsfonden 2027' })).toBeVisible();
		await page.getByRole('link', { name: 'New call' }).click();
		await expectAccessible(page);
		await page.getByLabel('Title', { exact: true }).fill(CALL);
		await page.getByLabel('What the call funds').fill('Small grants for **meeting places** in the neighbourhood.\n\n<script>alert(1)</script>');
		await page.getByLabel('Opens').fill('2026-01-01T09:00');
		await page.getByLabel('Closes').fill('2030-12-31T17:00');
		await page.getByLabel('Smallest amount (SEK)').fill('5000');
		await page.getByLabel('Largest amount (SEK)').fill('50000');
		// Publishing without criteria is refused.
		await page.getByRole('button', { name: 'Save call' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'saved as a draft' })).toBeVisible();
		await page.getByRole('button', { name: 'Publish the call' }).click();
		await expect(page.getByRole('alert')).toContainText('Add at least one review criterion');
		await page.getByLabel('Criterion 1: name').fill('Brings people together');
		await page.getByLabel('Criterion 1: weight').fill('3');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'The call is saved.' })).toBeVisible();
		await page.getByRole('button', { name: 'Publish the call' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'The call is published.' })).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('link', { name: 'Public page' }).click();
		await expect(page.locator('.prose strong')).toHaveText('meeting places');
		expect(await page.locator('.prose script').count()).toBe(0);
	});

	test('an applicant applies with an organisation, three budget lines and a PDF', async ({ page }) => {
		number = await applicantApplies(page, 'grace@kvarter.demo', title, { js: true, keyboard: false });
	});

	test('the officer finds it, asks for changes; the applicant edits and resubmits; the officer marks it eligible', async ({ browser }) => {
		const officer = await (await browser.newContext()).newPage();
		await signIn(officer, 'officer@kvarter.demo');
		await officer.goto('/staff/applications');
		await officer.getByLabel('Search title, summary or organisation').fill(title);
		await officer.getByRole('button', { name: 'Show results' }).click();
		await expect(officer.getByRole('status').filter({ hasText: 'Applications found: 1' })).toBeVisible();
		await expectAccessible(officer);
		await officer.getByRole('link', { name: title }).click();
		await expectAccessible(officer);
		await officer.getByRole('radio', { name: 'Ask the applicant for changes' }).check();
		await officer.getByRole('button', { name: 'Record the outcome' }).click();
		await expect(officer.getByRole('alert')).toContainText('Write a message');
		await officer.getByLabel('Message to the applicant').fill('Please tell us how many volunteers will help.');
		await officer.getByRole('button', { name: 'Record the outcome' }).click();
		await expect(officer.getByRole('status').filter({ hasText: 'asked for changes' })).toBeVisible();

		const applicant = await (await browser.newContext()).newPage();
		const mail = await waitForMail('grace@kvarter.demo', new RegExp(`Please change your application \\(no\\. ${number}\\)`));
		expect(mail.text).toContain('how many volunteers');
		await signIn(applicant, 'grace@kvarter.demo');
		await applicant.goto(`/applications/${number}`);
		await expect(applicant.getByText('Please tell us how many volunteers will help.').first()).toBeVisible();
		await applicant.getByRole('link', { name: 'Make the requested changes' }).click();
		await expectAccessible(applicant);
		await applicant.getByLabel('Number of volunteers').fill('6');
		await applicant.getByRole('button', { name: 'Send the changed application' }).click();
		await expect(applicant.getByRole('status').filter({ hasText: 'Your application has been sent' })).toBeVisible();

		await officer.reload();
		await officer.getByRole('radio', { name: 'Eligible: send on to review' }).check();
		await officer.getByRole('button', { name: 'Record the outcome' }).click();
		await expect(officer.getByRole('status').filter({ hasText: 'on its way to review' })).toBeVisible();
		await expect(officer.getByText('In review', { exact: true }).first()).toBeVisible();
		await applicant.reload();
		await expect(applicant.getByText('It meets the conditions and reviewers are reading it.')).toBeVisible();
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });
		test('the applicant part works with plain form posts', async ({ page }) => {
			await applicantApplies(page, 'joost@kvarter.demo', `Taalhuis ${Date.now().toString(36)}`, { js: false, keyboard: false });
		});
	});

	test('the applicant part works keyboard-only', async ({ page }) => {
		await applicantApplies(page, 'amina@kvarter.demo', `Tangentbord ${Date.now().toString(36)}`, { js: true, keyboard: true });
	});
});
