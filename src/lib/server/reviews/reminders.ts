import { and, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import { dayOf } from '../calendar.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { applications, reviewAssignments, reviews, users } from '../db/schema/index.ts';
import { queueEmail } from '../email/outbox.ts';

const DAY = 24 * 60 * 60 * 1000;
/** A reminder goes out this long before the due date, and an overdue notice this long after it. */
export const REMIND_BEFORE_MS = 2 * DAY;
export const OVERDUE_AFTER_MS = 1 * DAY;

/**
 * Emails reviewers whose live, unsubmitted assignments are due within two days, and those one
 * day overdue. Each reminder is marked in the same transaction with a guarded update, so
 * however often this runs (and on however many servers) each is sent once.
 */
export async function sendReviewReminders(database: Database, config: Config, now: Date) {
	const pending = sql`not exists (select 1 from ${reviews} where ${reviews.assignmentId} = ${reviewAssignments.id} and ${reviews.submittedAt} is not null)`;
	const live = and(isNull(reviewAssignments.releasedAt), eq(applications.status, 'in_review'), pending);
	const soon = await database.db
		.select({ id: reviewAssignments.id, applicationId: reviewAssignments.applicationId, dueAt: reviewAssignments.dueAt, reviewer: users })
		.from(reviewAssignments)
		.innerJoin(applications, eq(applications.id, reviewAssignments.applicationId))
		.innerJoin(users, eq(users.id, reviewAssignments.reviewerId))
		.where(and(live, isNull(reviewAssignments.remindedBeforeAt), lte(reviewAssignments.dueAt, new Date(now.getTime() + REMIND_BEFORE_MS)), gte(reviewAssignments.dueAt, now)));
	const late = await database.db
		.select({ id: reviewAssignments.id, applicationId: reviewAssignments.applicationId, dueAt: reviewAssignments.dueAt, reviewer: users })
		.from(reviewAssignments)
		.innerJoin(applications, eq(applications.id, reviewAssignments.applicationId))
		.innerJoin(users, eq(users.id, reviewAssignments.reviewerId))
		.where(and(live, isNull(reviewAssignments.remindedAfterAt), lte(reviewAssignments.dueAt, new Date(now.getTime() - OVERDUE_AFTER_MS))));
	let sent = 0;
	for (const [list, kind] of [[soon, 'before'], [late, 'after']] as const) {
		for (const a of list) {
			await database.write(async (tx) => {
				const column = kind === 'before' ? reviewAssignments.remindedBeforeAt : reviewAssignments.remindedAfterAt;
				const marked = await tx
					.update(reviewAssignments)
					.set(kind === 'before' ? { remindedBeforeAt: now } : { remindedAfterAt: now })
					.where(and(eq(reviewAssignments.id, a.id), isNull(column)))
					.returning({ id: reviewAssignments.id });
				if (!marked.length) return;
				await queueEmail(tx, { now, config }, a.reviewer, {
					template: kind === 'before' ? 'review-due-soon' : 'review-overdue',
					params: { name: a.reviewer.name, number: a.applicationId, url: `${config.PUBLIC_ORIGIN}/reviews/${a.id}`, due: dayOf(a.dueAt, config.TIME_ZONE) }
				});
				sent++;
			});
		}
	}
	return sent;
}
