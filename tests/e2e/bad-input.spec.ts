import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers.ts';

test('a wrong password gets one clear message and no session', async ({ page }) => {
	await page.goto('/sign-in');
	await page.getByLabel('Email address').fill('amina@kvarter.demo');
	await page.getByLabel('Password').fill('not my password at all');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toContainText('The email address or password is not right');
	await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
	await expectAccessible(page);
	const cookies = await page.context().cookies();
	expect(cookies.find((c) => c.name === 'kvarter_session')).toBeUndefined();
});

test('a short password at sign-up is refused next to the field', async ({ page }) => {
	await page.goto('/sign-up');
	await page.getByLabel('Full name').fill('Ruben Claes');
	await page.getByLabel('Email address').fill('ruben@example.be');
	await page.getByLabel('Password').fill('kort');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('alert')).toContainText('Your password must be at least 8 characters');
	await expect(page.locator('#field-password-error')).toHaveText('Your password must be at least 8 characters');
	// The summary links to the field.
	await page.getByRole('alert').getByRole('link', { name: 'Your password must be at least 8 characters' }).click();
	await expect(page).toHaveURL(/#field-password$/);
});

test('a tampered session cookie signs the person out cleanly', async ({ page, context }) => {
	await signIn(page, 'amina@kvarter.demo');
	const [session] = (await context.cookies()).filter((c) => c.name === 'kvarter_session');
	await context.addCookies([{ ...session, value: session.value.slice(0, -1) + (session.value.endsWith('a') ? 'b' : 'a') }]);
	const response = await page.goto('/account');
	expect(response?.status()).toBe(200);
	await expect(page).toHaveURL(/\/sign-in/);
	expect((await context.cookies()).find((c) => c.name === 'kvarter_session')).toBeUndefined();
});

test('an expired or made-up reset link is refused with a clear message', async ({ page }) => {
	await page.goto('/reset-password?token=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
	await page.getByLabel('New password').fill('a perfectly fine passphrase');
	await page.getByRole('button', { name: 'Save new password' }).click();
	await expect(page.getByRole('alert')).toContainText('This link does not work');
	await expectAccessible(page);
});

test('cross-site form posts and unknown pages never produce a 500', async ({ request }) => {
	const forged = await request.post('/sign-in', { form: { email: 'a@b.se', password: 'x' }, headers: { origin: 'https://evil.example' } });
	expect(forged.status()).toBe(403);
	expect((await request.get('/no-such-page')).status()).toBe(404);
	expect((await request.get('/admin/users/not-a-user', { maxRedirects: 0 })).status()).toBe(303);
	const health = await request.get('/healthz');
	expect(health.status()).toBe(200);
	expect(await health.json()).toEqual({ status: 'ok' });
});

test('every response carries the security headers', async ({ request }) => {
	const res = await request.get('/sign-in');
	const h = res.headers();
	expect(h['content-security-policy']).toContain("object-src 'none'");
	expect(h['content-security-policy']).toContain("base-uri 'none'");
	expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
	expect(h['x-content-type-options']).toBe('nosniff');
	expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
});

test('each input that once answered 500 now gets a clear answer', async ({ request, baseURL }) => {
	const html = { accept: 'text/html' };
	// A page number beyond any integer, on a public list.
	expect((await request.get('/projects?page=9223372036854775808', { headers: html })).status()).toBe(200);
	// The language switch on a path that names another site stays here.
	const lang = await request.get(`${baseURL}//evil.example?lang=en`, { maxRedirects: 0, headers: html });
	expect(lang.status()).toBe(303);
	expect(lang.headers()['location']).toBe('/');
	expect((await request.get(`${baseURL}//evil.example`, { maxRedirects: 0, headers: html })).status()).toBe(404);
	// Bodies that are not forms, broken multipart, and one field repeated 40 000 times.
	const plain = await request.post('/sign-up', { headers: { ...html, 'content-type': 'text/plain' }, data: 'name=x' });
	expect(plain.status()).toBe(400);
	expect(await plain.text()).toContain('We could not read what was sent');
	const broken = await request.post('/sign-up', { headers: { ...html, 'content-type': 'multipart/form-data; boundary=zz' }, data: '--zz\r\nContent-Disposition: form-data; name="name"\r\n\r\nx' });
	expect(broken.status()).toBe(400);
	const repeated = await request.post('/sign-up', { headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' }, data: Array.from({ length: 40_000 }, () => 'name=x').join('&') });
	expect(repeated.status()).toBe(400);
	expect(await repeated.text()).toContain('more fields than it can take');
	const nul = await request.post('/sign-up', { headers: html, form: { name: 'a\u0000b', email: 'nul@example.org', password: 'a perfectly fine passphrase' } });
	expect(nul.status()).toBe(400);
	expect(await nul.text()).toContain('characters that cannot be saved');
	// Reading the health of the portal changes nothing; it answers from a read.
	expect((await request.get('/healthz')).status()).toBe(200);
});

test('signing in with a next address that names another site goes home instead', async ({ request }) => {
	const res = await request.post('/sign-in', { headers: { accept: 'text/html' }, form: { email: 'grace@kvarter.demo', password: 'kvarter-demo-2026', next: '/\t/evil.example' }, maxRedirects: 0 });
	expect(res.status()).toBe(303);
	expect(res.headers()['location']).toBe('/');
	// The browser is now known: a device cookie was set with the session.
	expect(res.headers()['set-cookie']).toMatch(/kvarter_device=/);
});
