import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';

/**
 * The calls whose kept figures (the call_figures read model, maintained by triggers: applied,
 * funded, awarded; in the ranking; decided and their days to decision) differ from a
 * recomputation from applications and grants: empty when the read model is right. Used by tests
 * after every kind of write, and by the model-based sequences after every step.
 */
export async function callFiguresDrift(db: Reader) {
	const rows = await db.all<{ callId: string; kept: string; actual: string }>(sql`
		select c.id as callId,
			coalesce(f.applied, -1) || '/' || coalesce(f.funded, -1) || '/' || coalesce(f.awarded, -1) || '/' || coalesce(f.ranked, -1) || '/' || coalesce(f.decided, -1) || '/' || coalesce(f.decision_days, -1) as kept,
			(select count(*) from applications a where a.call_id = c.id and a.submitted_at is not null) || '/' ||
			(select count(*) from grants g join applications a on a.id = g.application_id where a.call_id = c.id and g.status in ('active', 'completed', 'closed')) || '/' ||
			(select coalesce(sum(g.awarded_amount), 0) from grants g join applications a on a.id = g.application_id where a.call_id = c.id and g.status in ('active', 'completed', 'closed')) || '/' ||
			(select count(*) from applications a where a.call_id = c.id and a.status in ('in_review', 'approved', 'rejected')) || '/' ||
			(select count(*) || '/' || cast(coalesce(sum(round((a.decided_at - a.submitted_at) / 86400000.0)), 0) as integer) from applications a
				where a.call_id = c.id and a.status in ('approved', 'rejected') and a.decided_at is not null and a.submitted_at is not null) as actual
		from calls c left join call_figures f on f.call_id = c.id`);
	return rows.filter((r) => r.kept !== r.actual);
}
