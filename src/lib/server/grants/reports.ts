import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import type { Tx } from '../db/client.ts';
import { applicationNeighbourhoods, budgetLines, funds, grants, milestones, neighbourhoods, paymentTranches, reportFiles, reports, reportSpending } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { queueEmail } from '../email/outbox.ts';
import { DomainError, notFound, type Issue } from '../errors.ts';
import { isCount, isMoney, LIMITS } from '../../domain.ts';
import { ACCEPTED_TYPES, cleanFileName, detectFileKind } from '../files/detect.ts';
import { fileStore } from '../files/store.ts';
import { assertMove, GRANT_WORKFLOW, REPORT_EDITABLE, REPORT_WORKFLOW } from './workflow.ts';
import { assertGrantAction, loadGrant, markDueTranches, ownerOf } from './service.ts';
import { appendLedger, releaseFromGrant } from '../ledger/book.ts';
import { mayAll } from '../access/policy.ts';

/**
 * The unspent money of an accepted final report: first netted against tranches not yet paid
 * (the last first; each is reduced, and waived when nothing is left, the netted part released
 * to the fund); what remains is owed back, booked as a receivable. It returns to the fund's
 * available money only when repaid or written off.
 */
async function settleUnspent(tx: Tx, ctx: Ctx, grant: typeof grants.$inferSelect, unspent: number) {
	// What was already released (a waived payment) was never paid: it counts towards the unspent money.
	let rest = Math.max(0, unspent - grant.releasedAmount);
	const unpaid = await tx
		.select()
		.from(paymentTranches)
		.where(and(eq(paymentTranches.grantId, grant.id), inArray(paymentTranches.status, ['scheduled', 'due'])))
		.orderBy(desc(paymentTranches.position));
	for (const t of unpaid) {
		if (rest <= 0) break;
		const cut = Math.min(rest, t.amount);
		rest -= cut;
		await tx
			.update(paymentTranches)
			.set(cut === t.amount ? { amount: 0, netted: t.netted + cut, status: 'waived', waivedReason: 'unspent money netted', waivedBy: ctx.actor?.id ?? null } : { amount: t.amount - cut, netted: t.netted + cut })
			.where(eq(paymentTranches.id, t.id));
		await releaseFromGrant(tx, grant, { amount: cut, key: `release:${t.id}:netted`, trancheId: t.id, reason: 'unspent money netted against a tranche not yet paid', actorId: ctx.actor?.id ?? null, at: ctx.now });
	}
	await tx.update(grants).set({ owedBack: rest }).where(eq(grants.id, grant.id));
	if (rest > 0) await appendLedger(tx, { fundId: grant.fundId, grantId: grant.id, kind: 'receivable', amount: rest, idempotencyKey: `receivable:${grant.id}:unspent`, actorId: ctx.actor?.id ?? null, at: ctx.now, reason: 'unspent money declared in the final report' });
	await audit(tx, ctx, { action: 'grant.unspent_settled', entityType: 'grant', entityId: grant.id, summary: { unspent, alreadyReleased: grant.releasedAmount, owedBack: rest } });
	return rest;
}

async function loadMilestone(tx: Tx | Ctx['database']['db'], grantId: string, milestoneId: string) {
	const [m] = await tx.select().from(milestones).where(and(eq(milestones.id, milestoneId), eq(milestones.grantId, grantId)));
	if (!m) throw notFound();
	return m;
}

/** A milestone's report (or an empty one) with the plan it reports against. Refuses: not_found. */
export async function getReport(ctx: Ctx, grantId: string, milestoneId: string) {
	const db = ctx.database.db;
	const g = await loadGrant(db, ctx, grantId);
	const { grant, party, app } = g;
	const may = mayAll(g.actor, ['report.edit', 'report.review'], { relations: g.relations, state: grant.status });
	const milestone = await loadMilestone(db, grantId, milestoneId);
	const [report] = await db.select().from(reports).where(eq(reports.milestoneId, milestoneId));
	const [fund] = await db.select({ currency: funds.currency }).from(funds).where(eq(funds.id, grant.fundId));
	const [lines, spending, files, places] = await Promise.all([
		db.select().from(budgetLines).where(eq(budgetLines.applicationId, app.id)).orderBy(asc(budgetLines.position)),
		report ? db.select().from(reportSpending).where(eq(reportSpending.reportId, report.id)) : Promise.resolve([]),
		report ? db.select({ id: reportFiles.id, fileName: reportFiles.fileName, size: reportFiles.size }).from(reportFiles).where(eq(reportFiles.reportId, report.id)) : Promise.resolve([]),
		db.select({ id: neighbourhoods.id, name: neighbourhoods.name, reached: sql<number>`exists (select 1 from ${applicationNeighbourhoods} an where an.application_id = ${app.id} and an.neighbourhood_id = ${neighbourhoods.id})` }).from(neighbourhoods).orderBy(asc(neighbourhoods.name))
	]);
	return {
		party,
		grant: { id: grant.id, status: grant.status, awardedAmount: grant.awardedAmount },
		currency: fund.currency,
		milestone,
		report: report ?? null,
		editable: party === 'grantee' && may['report.edit'] && (!report || REPORT_EDITABLE.includes(report.status)),
		reviewable: party === 'staff' && may['report.review'] && report?.status === 'submitted',
		budgetLines: lines.map((l) => ({ ...l, spent: spending.find((s) => s.budgetLineId === l.id)?.amount ?? null })),
		/** The budget lines are written in the application's language. */
		applicationLanguage: app.language,
		files,
		neighbourhoods: places.map((p) => ({ id: p.id, name: p.name, reached: !!p.reached }))
	};
}

export interface ReportInput {
	narrative: string;
	participants: number | null;
	participantsByNeighbourhood: Record<string, number>;
	spending: Record<number, number>;
	unspentAmount: number | null;
}

/**
 * The grantee saves (or submits) a milestone report on an active grant. The spending per line
 * is checked against the award; the final report must account for every krona or cent: what
 * was spent plus what is unspent equals the award. Refuses: not_found, forbidden, invalid_state
 * (grant not active, report locked), invalid (issues).
 */
export async function saveReport(ctx: Ctx, grantId: string, milestoneId: string, input: ReportInput, submit: boolean) {
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		const { grant, party, app } = g;
		if (party !== 'grantee') throw new DomainError('forbidden', 'error_forbidden');
		assertGrantAction(g, 'report.edit', 'error_grant_not_active');
		const milestone = await loadMilestone(tx, grantId, milestoneId);
		const [existing] = await tx.select().from(reports).where(eq(reports.milestoneId, milestoneId));
		if (existing && !REPORT_EDITABLE.includes(existing.status)) throw new DomainError('invalid_state', 'error_report_locked');
		const lines = await tx.select().from(budgetLines).where(eq(budgetLines.applicationId, app.id));
		const issues: Issue[] = [];
		if (input.narrative.length > LIMITS.description) issues.push({ field: 'narrative', messageKey: 'error_too_long', params: { max: LIMITS.description } });
		if (input.participants !== null && !isCount(input.participants)) issues.push({ field: 'participants', messageKey: 'error_whole_number' });
		for (const [n, v] of Object.entries(input.participantsByNeighbourhood)) {
			if (!isCount(v)) issues.push({ field: `reached-${n}`, messageKey: 'error_whole_number' });
		}
		const reached = Object.values(input.participantsByNeighbourhood).reduce((a, b) => a + b, 0);
		if (input.participants !== null && reached > input.participants) issues.push({ field: 'participants', messageKey: 'error_reached_above_total' });
		for (const [id, v] of Object.entries(input.spending)) {
			if (!lines.some((l) => l.id === Number(id))) issues.push({ field: 'spending', messageKey: 'error_choose_from_list' });
			if (!isMoney(v)) issues.push({ field: `spent-${id}`, messageKey: 'error_amount_invalid' });
		}
		const spent = Object.values(input.spending).reduce((a, b) => a + b, 0);
		if (spent > grant.awardedAmount) issues.push({ field: 'spending', messageKey: 'error_spent_above_award' });
		if (input.unspentAmount !== null && !isMoney(input.unspentAmount)) issues.push({ field: 'unspentAmount', messageKey: 'error_amount_invalid' });
		if (submit) {
			if (!input.narrative.trim()) issues.push({ field: 'narrative', messageKey: 'error_narrative_required' });
			if (input.participants === null) issues.push({ field: 'participants', messageKey: 'error_report_participants_required' });
			if (milestone.isFinal) {
				if (input.unspentAmount === null) issues.push({ field: 'unspentAmount', messageKey: 'error_unspent_required' });
				else if (spent + input.unspentAmount !== grant.awardedAmount) issues.push({ field: 'spending', messageKey: 'error_spending_not_adding_up' });
			}
		}
		if (issues.length) throw new DomainError('invalid', issues[0].messageKey, issues[0].field, issues[0].params, issues);
		const status = existing?.status ?? 'draft';
		const move = submit ? assertMove(REPORT_WORKFLOW, status === 'changes_requested' ? 'resubmit' : 'submit', status, party) : null;
		const id = existing?.id ?? crypto.randomUUID();
		const values = {
			narrative: input.narrative.trim(),
			language: ctx.actor!.locale,
			participants: input.participants,
			participantsByNeighbourhood: input.participantsByNeighbourhood,
			unspentAmount: milestone.isFinal ? input.unspentAmount : null,
			status: move ? move.to : status,
			updatedAt: ctx.now,
			submittedAt: move ? ctx.now : (existing?.submittedAt ?? null)
		};
		if (existing) await tx.update(reports).set(values).where(eq(reports.id, id));
		else await tx.insert(reports).values({ id, milestoneId, grantId, ...values });
		await tx.delete(reportSpending).where(eq(reportSpending.reportId, id));
		const rows = Object.entries(input.spending).map(([lineId, amount]) => ({ reportId: id, budgetLineId: Number(lineId), amount }));
		if (rows.length) await tx.insert(reportSpending).values(rows);
		await audit(tx, ctx, { action: move ? 'grant.report_submitted' : 'grant.report_saved', entityType: 'grant', entityId: grantId, summary: { milestone: milestone.title } });
	});
}

/**
 * Staff accept a submitted report or ask for changes with a message. An accepted final report
 * makes its tranche due and records the unspent money as owed back; when every milestone is
 * accepted the grant is completed. Refuses: forbidden, not_found, invalid_state, invalid.
 */
export async function reviewReport(ctx: Ctx, grantId: string, milestoneId: string, outcome: 'accept' | 'request_changes', feedbackInput: string) {
	const feedback = feedbackInput.trim();
	if (outcome === 'request_changes' && !feedback) throw new DomainError('invalid', 'error_message_required', 'feedback');
	await ctx.database.write(async (tx) => {
		const g = await loadGrant(tx, ctx, grantId);
		const { grant, party, app } = g;
		if (party === 'staff') assertGrantAction(g, 'report.review', 'error_grant_not_active');
		const milestone = await loadMilestone(tx, grantId, milestoneId);
		const [report] = await tx.select().from(reports).where(eq(reports.milestoneId, milestoneId));
		if (!report) throw new DomainError('invalid_state', 'error_transition_not_allowed', undefined, { status: 'draft' });
		const move = assertMove(REPORT_WORKFLOW, outcome, report.status, party);
		await tx.update(reports).set({ status: move.to, feedback: feedback || null, feedbackLanguage: feedback ? ctx.actor!.locale : null, reviewedAt: ctx.now, reviewedBy: ctx.actor!.id }).where(eq(reports.id, report.id));
		if (outcome === 'accept') {
			if (milestone.isFinal) {
				// The unspent money is settled against the payments: none may be on its way meanwhile.
				const [inPayment] = await tx.select({ id: paymentTranches.id }).from(paymentTranches).where(and(eq(paymentTranches.grantId, grantId), eq(paymentTranches.status, 'processing')));
				if (inPayment) throw new DomainError('invalid_state', 'error_accept_in_payment');
				const owed = await settleUnspent(tx, ctx, grant, report.unspentAmount ?? 0);
				if (owed > 0) {
					// The grantee learns at once that money is to be paid back, and how much.
					const owner = await ownerOf(tx, app);
					const [fund] = await tx.select({ currency: funds.currency }).from(funds).where(eq(funds.id, grant.fundId));
					await queueEmail(tx, ctx, owner, { template: 'money-owed-back', params: { name: owner.name, title: app.title, number: app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}`, amount: owed, currency: fund.currency } });
				}
			}
			await markDueTranches(tx, grantId, ctx.now);
			const [{ open }] = await tx
				.select({ open: sql<number>`count(*)` })
				.from(milestones)
				.leftJoin(reports, eq(reports.milestoneId, milestones.id))
				.where(and(eq(milestones.grantId, grantId), sql`(${reports.status} is null or ${reports.status} <> 'accepted')`));
			if (open === 0) {
				const t = assertMove(GRANT_WORKFLOW, 'complete', grant.status, 'system');
				await tx.update(grants).set({ status: t.to, completedAt: ctx.now }).where(eq(grants.id, grantId));
				await audit(tx, ctx, { action: 'grant.completed', entityType: 'grant', entityId: grantId });
			}
		}
		await audit(tx, ctx, { action: outcome === 'accept' ? 'grant.report_accepted' : 'grant.report_changes_requested', entityType: 'grant', entityId: grantId, summary: { milestone: milestone.title } });
		const owner = await ownerOf(tx, app);
		await queueEmail(tx, ctx, owner, {
			template: outcome === 'accept' ? 'report-accepted' : 'report-changes-requested',
			params: { name: owner.name, title: milestone.title, number: app.id, url: `${ctx.config.PUBLIC_ORIGIN}/grants/${grantId}/reports/${milestoneId}`, message: feedback }
		});
	});
}

/** The grantee adds a photo or document to an editable report (same rules as applications). Refuses: not_found, forbidden, invalid_state, invalid. */
export async function addReportFile(ctx: Ctx, grantId: string, milestoneId: string, file: { name: string; bytes: Uint8Array }) {
	if (file.bytes.length === 0) throw new DomainError('invalid', 'error_file_required', 'file');
	if (file.bytes.length > LIMITS.attachmentBytes) throw new DomainError('invalid', 'error_file_too_large', 'file', { mb: LIMITS.attachmentBytes / 1024 / 1024 });
	const kind = detectFileKind(file.bytes);
	if (!kind) throw new DomainError('invalid', 'error_file_type', 'file');
	const g = await loadGrant(ctx.database.db, ctx, grantId);
	if (g.party !== 'grantee') throw new DomainError('forbidden', 'error_forbidden');
	assertGrantAction(g, 'report.edit', 'error_grant_not_active');
	const store = fileStore(ctx.config);
	const fileId = await store.save(file.bytes);
	try {
		await ctx.database.write(async (tx) => {
			const milestone = await loadMilestone(tx, grantId, milestoneId);
			let [report] = await tx.select().from(reports).where(eq(reports.milestoneId, milestone.id));
			if (report && !REPORT_EDITABLE.includes(report.status)) throw new DomainError('invalid_state', 'error_report_locked');
			if (!report) {
				[report] = await tx.insert(reports).values({ id: crypto.randomUUID(), milestoneId, grantId, updatedAt: ctx.now }).returning();
			}
			const [{ n, bytes }] = await tx
				.select({ n: sql<number>`count(*)`, bytes: sql<number>`coalesce(sum(${reportFiles.size}), 0)` })
				.from(reportFiles)
				.where(eq(reportFiles.reportId, report.id));
			if (n >= LIMITS.attachments) throw new DomainError('invalid', 'error_too_many_files', 'file', { max: LIMITS.attachments });
			if (bytes + file.bytes.length > LIMITS.reportBytes) throw new DomainError('invalid', 'error_files_total_too_large', 'file', { mb: LIMITS.reportBytes / 1024 / 1024 });
			const fileName = cleanFileName(file.name, kind);
			await tx.insert(reportFiles).values({ id: fileId, reportId: report.id, fileName, contentType: ACCEPTED_TYPES[kind], size: file.bytes.length, uploadedBy: ctx.actor!.id, createdAt: ctx.now });
			await audit(tx, ctx, { action: 'grant.report_file_added', entityType: 'grant', entityId: grantId, summary: { fileName } });
		});
	} catch (err) {
		await store.remove(fileId);
		throw err;
	}
}

/** A report's file, for the grantee side and staff. Refuses: not_found. */
export async function readReportFile(ctx: Ctx, grantId: string, fileId: string) {
	await loadGrant(ctx.database.db, ctx, grantId);
	if (!/^[a-z0-9-]{36}$/.test(fileId)) throw notFound();
	const [row] = await ctx.database.db
		.select({ file: reportFiles })
		.from(reportFiles)
		.innerJoin(reports, eq(reports.id, reportFiles.reportId))
		.where(and(eq(reportFiles.id, fileId), eq(reports.grantId, grantId)));
	if (!row) throw notFound();
	return { fileName: row.file.fileName, contentType: row.file.contentType, bytes: await fileStore(ctx.config).read(fileId) };
}
