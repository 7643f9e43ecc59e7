import { expect, test, type APIRequestContext } from '@playwright/test';
import { startStripeServer } from '../../src/lib/server/testing/stripe-server.ts';
import { startOwnServer, type OwnServer } from './own-server.ts';
import { DEMO_PASSWORD } from './helpers.ts';

/**
 * The Stripe buttons send people to Stripe's hosted pages (an external redirect the framework
 * refused, so every Stripe button once answered 500), and Stripe's "link expired" visit (a GET)
 * changes nothing. Against a local server that speaks Stripe's API, on a portal of its own.
 */
let server: OwnServer;
let stripe: Awaited<ReturnType<typeof startStripeServer>>;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	stripe = await startStripeServer();
	server = await startOwnServer('stripe', 4177, { STRIPE_SECRET_KEY: 'sk_test_kvarter', STRIPE_WEBHOOK_SECRET: 'whsec_kvarter', STRIPE_API_URL: stripe.url });
});
test.afterAll(async () => {
	await server?.stop();
	await stripe?.close();
});

async function signedIn(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, email: string) {
	const c = await playwright.request.newContext({ baseURL: server.origin, maxRedirects: 0, extraHTTPHeaders: { accept: 'text/html' } });
	expect((await c.post('/sign-in', { form: { email, password: DEMO_PASSWORD, next: '/' } })).status()).toBe(303);
	await c.get('/?lang=en');
	return c;
}
const row = async (sql: string) => (await server.db.execute(sql)).rows[0] as Record<string, unknown>;

test('the Stripe onboarding button goes to Stripe, and the expired-link visit changes nothing', async ({ playwright }) => {
	const g = await row("select g.id as id, u.email as email from grants g join applications a on a.id = g.application_id join users u on u.id = a.applicant_id where g.status = 'active' and a.organisation_id is null limit 1");
	const c = await signedIn(playwright, String(g.email));
	const res = await c.post(`/grants/${g.id}/stripe`);
	expect(res.status()).toBe(303);
	expect(res.headers()['location']).toMatch(/^https:\/\/connect\.stripe\.com\//);
	const before = stripe.requests.length;
	const expired = await c.get(`/grants/${g.id}/stripe`);
	expect(expired.status()).toBe(303);
	expect(expired.headers()['location']).toBe(`/grants/${g.id}?stripe=expired`);
	expect(stripe.requests.length).toBe(before);
	expect(await (await c.get(`/grants/${g.id}?stripe=expired`)).text()).toContain('The link to Stripe has expired');
	await c.dispose();
});

test('paying money back by card goes to Stripe Checkout', async ({ playwright }) => {
	// Last year's history has a grant whose organisation owes money back; its owner signs in
	// with the demo password (set here on this test's own database).
	const g = await row(
		"select g.id as id, u.email as email from ledger_entries l join grants g on g.id = l.grant_id join applications a on a.id = g.application_id join organisation_members om on om.organisation_id = a.organisation_id and om.role = 'owner' join users u on u.id = om.user_id where l.kind = 'receivable' limit 1"
	);
	await server.db.execute({ sql: "update users set password_hash = (select password_hash from users where email = 'amina@kvarter.demo') where email = ?", args: [String(g.email)] });
	const c = await signedIn(playwright, String(g.email));
	const res = await c.post(`/grants/${g.id}/repay`);
	expect(res.status(), (await res.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)).toBe(303);
	expect(res.headers()['location']).toMatch(/^https:\/\/checkout\.stripe\.com\//);
	await c.dispose();
});
