import { readdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const MAIL_DIR = '.e2e/mail';
export const DEMO_PASSWORD = 'kvarter-demo-2026';

interface Mail {
	to: string;
	subject: string;
	text: string;
}

/** Waits for an email to `to` whose subject matches, and returns it (newest first). */
export async function waitForMail(to: string, subject: RegExp, timeoutMs = 20_000): Promise<Mail> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const mails = readdirSync(MAIL_DIR)
			.sort()
			.reverse()
			.map((f) => JSON.parse(readFileSync(`${MAIL_DIR}/${f}`, 'utf8')) as Mail);
		const found = mails.find((m) => m.to === to && subject.test(m.subject));
		if (found) return found;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`no email to ${to} matching ${subject} within ${timeoutMs} ms`);
}

/** The link in an email, made relative so the test follows it on the server under test. */
export function linkIn(mail: Mail, path: string): string {
	const match = mail.text.match(new RegExp(`https?://[^\\s]+${path.replace(/\//g, '\\/')}\\?token=[a-z2-7]+`));
	if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
	const url = new URL(match[0]);
	return url.pathname + url.search;
}

/** Zero axe violations against WCAG 2.1 A and AA on the page as it is now. */
export async function expectAccessible(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * Signs in a demo user. The portal then speaks the account's own language; the journeys
 * switch back to English (the `lang` link) so their assertions read the same for everyone.
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.context().clearCookies();
	await page.goto('/sign-in?lang=en');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.locator('form[action="/sign-out"] button')).toBeVisible();
	await page.goto('/?lang=en');
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;

/** Signs up and confirms a new account through the real pages and email; leaves it signed out. */
export async function createVerifiedAccount(page: Page, name: string, email: string, password: string) {
	await page.context().clearCookies();
	await page.goto('/sign-up?lang=en');
	await page.getByLabel('Full name').fill(name);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
	const mail = await waitForMail(email, /Confirm your email address|Bekräfta|Bevestig/);
	await page.goto(linkIn(mail, '/verify-email'));
	await page.getByRole('button', { name: /Confirm my email address|Bekräfta|bevestigen/ }).click();
	await expect(page.getByRole('status')).toBeVisible();
}

/** A valid Swedish organisation number (Luhn check digit) that no other run has registered. */
export function uniqueOrgNumber() {
	const nine = `80${String(Date.now() % 10_000_000).padStart(7, '0')}`;
	let sum = 0;
	for (let i = 0; i < 9; i++) {
		let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
		if (d > 9) d -= 9;
		sum += d;
	}
	return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`;
}
