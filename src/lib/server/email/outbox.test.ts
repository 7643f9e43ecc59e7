import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { startTestSmtp } from '../testing/smtp.ts';
import { emailOutbox } from '../db/schema/index.ts';
import { listOutbox, queueEmail, RETRY_BACKOFF_MINUTES, sendDueEmails, smtpMailer } from './outbox.ts';
import { acquireLease } from '../jobs/lease.ts';
import { DomainError } from '../errors.ts';

let db: TestDb;
let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
beforeAll(async () => {
	db = await createTestDb();
	smtp = await startTestSmtp();
});
afterAll(async () => {
	await smtp.close();
	db.cleanup();
});

const MIN = 60_000;

async function queue(to: string, locale: 'en' | 'sv' | 'nl', now: Date) {
	await db.database.write((tx) =>
		queueEmail(tx, { now, config: db.config }, { email: to, locale }, { template: 'password-changed', params: { name: 'Joost' } })
	);
	const rows = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to));
	return rows[rows.length - 1];
}

describe('the email outbox', () => {
	it('delivers over real SMTP in the recipient’s language, plain text and HTML', async () => {
		const now = new Date();
		const row = await queue('joost@example.be', 'nl', now);
		expect(row.status).toBe('pending');
		const result = await sendDueEmails(db.database, smtpMailer(smtp.url), 'Kvarter <no-reply@kvarter.test>', now);
		expect(result).toEqual({ sent: 1, failed: 0 });
		const mail = smtp.received.find((m) => m.to === 'joost@example.be');
		expect(mail?.subject).toBe('Je Kvarter-wachtwoord is gewijzigd');
		expect(mail?.text).toContain('Hallo Joost,');
		expect(mail?.html).toContain('<html lang="nl" dir="ltr">');
		const [after] = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
		expect(after).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
	});

	it('retries a failed send with backoff, then delivers', async () => {
		const t0 = new Date('2026-11-10T12:00:00Z');
		const row = await queue('retry@example.se', 'sv', t0);
		smtp.failNext(1);
		expect(await sendDueEmails(db.database, smtpMailer(smtp.url), 'Kvarter <k@kvarter.test>', t0)).toEqual({ sent: 0, failed: 1 });
		let [r] = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
		expect(r.status).toBe('pending');
		expect(r.attempts).toBe(1);
		expect(r.lastError).toMatch(/451/);
		expect(r.nextAttemptAt.getTime()).toBe(t0.getTime() + RETRY_BACKOFF_MINUTES[0] * MIN);
		// Not due yet: nothing happens.
		expect(await sendDueEmails(db.database, smtpMailer(smtp.url), 'k@kvarter.test', new Date(t0.getTime() + 30_000))).toEqual({ sent: 0, failed: 0 });
		const t1 = new Date(t0.getTime() + RETRY_BACKOFF_MINUTES[0] * MIN);
		expect(await sendDueEmails(db.database, smtpMailer(smtp.url), 'k@kvarter.test', t1)).toEqual({ sent: 1, failed: 0 });
		[r] = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
		expect(r).toMatchObject({ status: 'sent', attempts: 2 });
		expect(smtp.received.filter((m) => m.to === 'retry@example.se')).toHaveLength(1);
	});

	it('gives up after the last backoff step and marks the email failed', async () => {
		let now = new Date('2026-11-11T12:00:00Z');
		const row = await queue('gone@example.org', 'en', now);
		const unreachable = smtpMailer('smtp://127.0.0.1:9'); // nothing listens on the discard port
		for (let i = 0; i <= RETRY_BACKOFF_MINUTES.length; i++) {
			await sendDueEmails(db.database, unreachable, 'k@kvarter.test', now);
			now = new Date(now.getTime() + 24 * 60 * MIN);
		}
		const [r] = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.id, row.id));
		expect(r.status).toBe('failed');
		expect(r.attempts).toBe(RETRY_BACKOFF_MINUTES.length + 1);
	});

	it('is readable by admins only', async () => {
		const admin = await createUser(db, { roles: ['admin'] });
		const applicant = await createUser(db);
		const page = await listOutbox(db.ctx(admin));
		expect(page.total).toBeGreaterThanOrEqual(3);
		await expect(listOutbox(db.ctx(applicant))).rejects.toBeInstanceOf(DomainError);
	});
});

describe('job leases', () => {
	it('lets only one holder run a job until its lease expires', async () => {
		const t0 = new Date('2026-11-12T08:00:00Z');
		expect(await acquireLease(db.database, 'email-outbox', 'server-a', t0, 30_000)).toBe(true);
		expect(await acquireLease(db.database, 'email-outbox', 'server-b', new Date(t0.getTime() + 10_000), 30_000)).toBe(false);
		expect(await acquireLease(db.database, 'email-outbox', 'server-a', new Date(t0.getTime() + 20_000), 30_000)).toBe(true);
		// server-a renewed at +20 s, so its lease runs to +50 s.
		expect(await acquireLease(db.database, 'email-outbox', 'server-b', new Date(t0.getTime() + 45_000), 30_000)).toBe(false);
		expect(await acquireLease(db.database, 'email-outbox', 'server-b', new Date(t0.getTime() + 51_000), 30_000)).toBe(true);
	});
});
