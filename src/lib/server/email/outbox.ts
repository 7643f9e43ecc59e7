import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Ctx } from '../context.ts';
import type { Database, Tx } from '../db/client.ts';
import { emailOutbox, type Locale } from '../db/schema/index.ts';
import { requireRoleIn } from '../auth/authorize.ts';
import { notFound } from '../errors.ts';
import { pageOf } from '../pagination.ts';
import { renderEmail, type EmailTemplate } from './templates.ts';

/** Writes an email to the outbox inside the caller's transaction; the sender delivers it later. */
export async function queueEmail(
	tx: Tx,
	ctx: Pick<Ctx, 'now' | 'config'>,
	to: { email: string; locale: Locale },
	email: EmailTemplate
) {
	const rendered = renderEmail(email, to.locale, ctx.config.MUNICIPALITY_NAME);
	await tx.insert(emailOutbox).values({
		toAddress: to.email,
		template: email.template,
		locale: to.locale,
		subject: rendered.subject,
		textBody: rendered.text,
		htmlBody: rendered.html,
		nextAttemptAt: ctx.now,
		createdAt: ctx.now
	});
}

/** Minutes to wait after the 1st, 2nd, … failed attempt; after the last the email is marked failed. */
export const RETRY_BACKOFF_MINUTES = [1, 5, 30, 120, 720];

export interface Mailer {
	send(message: { from: string; to: string; subject: string; text: string; html: string }): Promise<void>;
}

export function smtpMailer(smtpUrl: string): Mailer {
	const transport = nodemailer.createTransport(smtpUrl);
	return {
		async send(message) {
			await transport.sendMail(message);
		}
	};
}

/**
 * Sends every pending email that is due, one at a time, outside any transaction; records the
 * outcome of each. A failure is retried with backoff until RETRY_BACKOFF_MINUTES runs out.
 */
export async function sendDueEmails(database: Database, mailer: Mailer, from: string, now: Date, limit = 50) {
	const due = await database.db
		.select()
		.from(emailOutbox)
		.where(and(eq(emailOutbox.status, 'pending'), lte(emailOutbox.nextAttemptAt, now)))
		.orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
		.limit(limit);
	let sent = 0;
	let failed = 0;
	for (const mail of due) {
		try {
			await mailer.send({ from, to: mail.toAddress, subject: mail.subject, text: mail.textBody, html: mail.htmlBody });
			await database.write((tx) =>
				tx
					.update(emailOutbox)
					.set({ status: 'sent', sentAt: new Date(), attempts: mail.attempts + 1, lastError: null })
					.where(eq(emailOutbox.id, mail.id))
			);
			sent++;
		} catch (err) {
			failed++;
			const attempts = mail.attempts + 1;
			const wait = RETRY_BACKOFF_MINUTES[attempts - 1];
			await database.write((tx) =>
				tx
					.update(emailOutbox)
					.set({
						attempts,
						lastError: String((err as Error)?.message ?? err).slice(0, 500),
						status: wait === undefined ? 'failed' : 'pending',
						nextAttemptAt: new Date(now.getTime() + (wait ?? 0) * 60_000)
					})
					.where(eq(emailOutbox.id, mail.id))
			);
		}
	}
	return { sent, failed };
}

export const OUTBOX_PAGE_SIZE = 50;

/** Admins read the outbox (the only delivery when no SMTP server is configured). Refuses: forbidden. */
export async function listOutbox(ctx: Ctx, page = 1) {
	requireRoleIn(ctx, ['admin']);
	const db = ctx.database.db;
	const [{ total }] = await db.select({ total: sql<number>`count(*)` }).from(emailOutbox);
	const rows = await db
		.select({
			id: emailOutbox.id,
			toAddress: emailOutbox.toAddress,
			subject: emailOutbox.subject,
			status: emailOutbox.status,
			attempts: emailOutbox.attempts,
			createdAt: emailOutbox.createdAt,
			sentAt: emailOutbox.sentAt
		})
		.from(emailOutbox)
		.orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
		.limit(OUTBOX_PAGE_SIZE)
		.offset((Math.max(1, page) - 1) * OUTBOX_PAGE_SIZE);
	return pageOf(rows, total, Math.max(1, page), OUTBOX_PAGE_SIZE);
}

/** One email of the outbox, for admins. Refuses: forbidden, not_found. */
export async function getOutboxEmail(ctx: Ctx, id: number) {
	requireRoleIn(ctx, ['admin']);
	const [row] = await ctx.database.db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
	if (!row) throw notFound();
	return row;
}
