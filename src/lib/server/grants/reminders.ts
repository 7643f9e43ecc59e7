import { and, eq, isNull } from 'drizzle-orm';
import { addDays, dayOf } from '../calendar.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { applications, milestones } from '../db/schema/index.ts';
import { queueEmail } from '../email/outbox.ts';
import { openMilestones, ownerOf } from './service.ts';


/**
 * Emails grantees a week before a report is due and again three days after it is overdue.
 * Each reminder is marked by a guarded update in the same transaction, so it goes out once per
 * milestone per threshold however often — and on however many servers — the job runs.
 */
export async function sendMilestoneReminders(database: Database, config: Config, now: Date) {
	// Due dates are days in the municipality's calendar.
	const today = dayOf(now, config.TIME_ZONE);
	const soon = addDays(today, 7);
	const late = addDays(today, -3);
	let sent = 0;
	for (const row of await openMilestones(database.db)) {
		const m = row.milestone;
		const kind = !m.remindedAfterAt && m.dueDate <= late ? 'after' : !m.remindedBeforeAt && m.dueDate <= soon && m.dueDate >= today ? 'before' : null;
		if (!kind) continue;
		await database.write(async (tx) => {
			const column = kind === 'before' ? milestones.remindedBeforeAt : milestones.remindedAfterAt;
			const marked = await tx
				.update(milestones)
				.set(kind === 'before' ? { remindedBeforeAt: now } : { remindedAfterAt: now })
				.where(and(eq(milestones.id, m.id), isNull(column)))
				.returning({ id: milestones.id });
			if (!marked.length) return;
			const [app] = await tx.select().from(applications).where(eq(applications.id, row.applicationId));
			const owner = await ownerOf(tx, app);
			await queueEmail(tx, { now, config }, owner, {
				template: kind === 'before' ? 'milestone-due-soon' : 'milestone-overdue',
				params: { name: owner.name, title: m.title, number: app.id, url: `${config.PUBLIC_ORIGIN}/grants/${row.grantId}/reports/${m.id}`, message: '' }
			});
			sent++;
		});
	}
	return sent;
}
