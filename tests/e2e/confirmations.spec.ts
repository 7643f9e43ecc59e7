import { expect, test, type Page } from '@playwright/test';
import { startOwnServer, type OwnServer } from './own-server.ts';
import { DEMO_PASSWORD, expectAccessible } from './helpers.ts';

/**
 * Withdrawing an application and declining a grant are final, so each asks first: a second step
 * that works without JavaScript and keeps what was typed. Each variant runs on a portal of its own
 * (a decline cannot be undone, and other journeys use the demo's offer).
 */
for (const js of [true, false]) {
	test.describe(js ? 'with JavaScript' : 'without JavaScript', () => {
		test.use({ javaScriptEnabled: js });
		let server: OwnServer;
		test.beforeAll(async () => {
			test.setTimeout(120_000);
			server = await startOwnServer(`confirm-${js ? 'js' : 'plain'}`, js ? 4178 : 4179);
		});
		test.afterAll(async () => server?.stop());

		/** Signs in the person behind `sql`'s first row (given the demo password on this portal's own database). */
		async function signInAs(page: Page, sql: string) {
			const rs = await server.db.execute(sql);
			const { id, email } = rs.rows[0] as unknown as { id: string; email: string };
			await server.db.execute({ sql: "update users set password_hash = (select password_hash from users where email = 'amina@kvarter.demo') where email = ?", args: [email] });
			await page.context().clearCookies();
			await page.goto(`${server.origin}/sign-in?lang=en`);
			await page.getByLabel('Email address').fill(email);
			await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
			await page.getByRole('button', { name: 'Sign in' }).click();
			// The portal now speaks the account's language; back to English for the assertions.
			await expect(page.locator('form[action="/sign-out"] button')).toBeVisible();
			await page.goto(`${server.origin}/?lang=en`);
			return id;
		}

		test('withdrawing an application asks first; "No" keeps it, "Yes" withdraws it', async ({ page }) => {
			const id = await signInAs(page, "select a.id as id, u.email as email from applications a join users u on u.id = a.applicant_id where a.status = 'submitted' and a.organisation_id is null order by a.id limit 1");
			await page.goto(`${server.origin}/applications/${id}`);
			await page.getByRole('button', { name: 'Withdraw application' }).click();
			await expect(page.getByRole('alert')).toContainText('Do you really want to withdraw this application?');
			if (js) await expectAccessible(page);
			await page.getByRole('link', { name: 'No, keep the application' }).click();
			await expect(page.getByText('Submitted', { exact: true }).first()).toBeVisible();
			expect((await server.db.execute({ sql: 'select status from applications where id = ?', args: [id] })).rows[0].status).toBe('submitted');
			await page.getByRole('button', { name: 'Withdraw application' }).click();
			await page.getByRole('button', { name: 'Yes, withdraw the application' }).click();
			await expect(page.getByRole('status')).toContainText('Your application has been withdrawn');
			expect((await server.db.execute({ sql: 'select status from applications where id = ?', args: [id] })).rows[0].status).toBe('withdrawn');
		});

		test('declining a grant asks first and keeps the reason typed', async ({ page }) => {
			const id = await signInAs(
				page,
				"select g.id as id, u.email as email from grants g join applications a on a.id = g.application_id join organisation_members om on om.organisation_id = a.organisation_id and om.role = 'owner' join users u on u.id = om.user_id where g.status = 'offered' union all select g.id, u.email from grants g join applications a on a.id = g.application_id join users u on u.id = a.applicant_id where g.status = 'offered' and a.organisation_id is null limit 1"
			);
			await page.goto(`${server.origin}/grants/${id}`);
			await page.getByLabel('If you decline: why? (optional)').fill('Vi hittade en annan lokal.');
			await page.getByRole('button', { name: 'Decline the grant' }).click();
			await expect(page.getByRole('alert')).toContainText('Do you really want to decline the grant?');
			expect((await server.db.execute({ sql: 'select status from grants where id = ?', args: [id] })).rows[0].status).toBe('offered');
			if (js) await expectAccessible(page);
			await page.getByRole('button', { name: 'Yes, decline the grant' }).click();
			await expect(page.getByRole('status')).toContainText('You declined the grant');
			expect((await server.db.execute({ sql: 'select status from grants where id = ?', args: [id] })).rows[0].status).toBe('cancelled');
			const [audit] = (await server.db.execute({ sql: "select summary from audit_events where entity_id = ? and action = 'grant.declined'", args: [id] })).rows;
			expect(String(audit?.summary ?? '')).toContain('Vi hittade en annan lokal.');
		});
	});
}
