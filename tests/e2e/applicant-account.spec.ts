import { expect, test } from '@playwright/test';
import { createVerifiedAccount, expectAccessible, linkIn, uniqueEmail, waitForMail } from './helpers.ts';

const PASSWORD = 'lanterns along the river';

test.describe('a new applicant', () => {
	test('signs up, verifies by email, signs in, switches to Swedish and signs out', async ({ page }) => {
		const email = uniqueEmail('newcomer');
		await page.goto('/');
		await expectAccessible(page);
		await page.getByRole('link', { name: 'Create account' }).first().click();
		await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible();
		await expectAccessible(page);

		await page.getByLabel('Full name').fill('Noor Haddad');
		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('combobox', { name: 'Language' }).selectOption('en');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
		await expectAccessible(page);

		const mail = await waitForMail(email, /Confirm your email address/);
		expect(mail.text).toContain('Hello Noor Haddad,');
		await page.goto(linkIn(mail, '/verify-email'));
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Confirm my email address' }).click();
		await expect(page.getByRole('status')).toContainText('Your email address is confirmed');
		await expectAccessible(page);

		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByText('You are signed in as Noor Haddad.')).toBeVisible();

		await page.getByRole('link', { name: 'Svenska' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
		await expect(page.getByText('Du är inloggad som Noor Haddad.')).toBeVisible();
		await expectAccessible(page);

		await page.getByRole('link', { name: 'Mitt konto' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Mitt konto' })).toBeVisible();
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Logga ut' }).click();
		await expect(page.getByRole('status')).toHaveText('Du har loggat ut.');
		await expect(page.getByRole('link', { name: 'Logga in' })).toBeVisible();
		// Signed out means signed out: the account page sends us to sign in.
		await page.goto('/account');
		await expect(page).toHaveURL(/\/sign-in\?next=%2Faccount/);
		await page.getByRole('link', { name: 'English' }).click();
	});

	test('forgets the password, resets it by email and signs in with the new one', async ({ page }) => {
		const email = uniqueEmail('forgetful');
		await createVerifiedAccount(page, 'Maja Eriksson', email, PASSWORD);
		await page.goto('/sign-in');
		await page.getByRole('link', { name: 'Forgot your password?' }).click();
		await expectAccessible(page);
		await page.getByLabel('Email address').fill(email);
		await page.getByRole('button', { name: 'Send me a link' }).click();
		await expect(page.getByRole('status')).toContainText('If there is an account with that address');
		await expectAccessible(page);

		const mail = await waitForMail(email, /Choose a new password/);
		const link = linkIn(mail, '/reset-password');
		await page.goto(link);
		await expectAccessible(page);
		// A common password is refused next to the field, and nothing changes.
		await page.getByLabel('New password').fill('password123');
		await page.getByRole('button', { name: 'Save new password' }).click();
		await expect(page.getByRole('alert')).toContainText('This password is too common');
		await expectAccessible(page);
		await page.getByLabel('New password').fill('maja walks to the library');
		await page.getByRole('button', { name: 'Save new password' }).click();
		await expect(page.getByRole('status')).toContainText('Your password has been changed');

		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password').fill('maja walks to the library');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByText('You are signed in as Maja Eriksson.')).toBeVisible();

		// The link worked once; a second use is refused with a clear message.
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.goto(link);
		await page.getByLabel('New password').fill('another long passphrase');
		await page.getByRole('button', { name: 'Save new password' }).click();
		await expect(page.getByRole('alert')).toContainText('This link does not work');
		await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
	});
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('signs up, verifies and signs in with plain form posts', async ({ page }) => {
		const email = uniqueEmail('nojs');
		await page.goto('/sign-up');
		// A bad email first: the server answers with an error summary and the field's message.
		await page.getByLabel('Full name').fill('Daan Willems');
		await page.getByLabel('Email address').fill('daan-at-example');
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByRole('alert')).toContainText('Enter an email address in the right format');
		await expect(page.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Password')).toHaveValue('');

		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('combobox', { name: 'Language' }).selectOption('nl');
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();

		const mail = await waitForMail(email, /Bevestig je e-mailadres/);
		await page.goto(linkIn(mail, '/verify-email'));
		await page.getByRole('button', { name: 'Confirm my email address' }).click();
		await page.getByLabel('Email address').fill(email);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		// The account's language (Dutch) takes over at sign-in.
		await expect(page.getByText('Je bent aangemeld als Daan Willems.')).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
		await page.getByRole('button', { name: 'Afmelden' }).click();
		await expect(page.getByRole('status')).toHaveText('Je bent afgemeld.');
		await page.getByRole('link', { name: 'English' }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});
});
