import { storeWeightedScores } from '../reviews/read-models.ts';
import { and, asc, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { applicationNeighbourhoods, applications, budgetLines, callReviewers, calls, criteria, funds, grants, ledgerEntries, neighbourhoods, organisationMembers, organisations, paymentTranches, payoutAccounts, reviewAssignments, reviews, reviewScores, userRoles, users } from '../db/schema/index.ts';
import { hashPassword } from '../auth/password.ts';
import type { ApplicationStatus, OrganisationKind } from '../../domain.ts';

const FIRST = ['Amir', 'Sara', 'Johan', 'Leila', 'Erik', 'Noor', 'Anna', 'Yusuf', 'Sofie', 'Daan', 'Emma', 'Omar', 'Lotte', 'Ali', 'Maja', 'Ines', 'Ruben', 'Hana', 'Karin', 'Bram'];
const LAST = ['Andersson', 'Mohamed', 'Peeters', 'Nilsson', 'Ahmadi', 'Maes', 'Johansson', 'Karimi', 'Willems', 'Eriksson', 'Haddad', 'Claes', 'Larsson', 'Osman', 'Jacobs', 'Berg'];
const WHAT = ['Läxhjälp', 'Språkcafé', 'Fotboll', 'Odling', 'Matlagning', 'Teater', 'Cykelverkstad', 'Dans', 'Schack', 'Musik', 'Huiswerkklas', 'Buurtfeest', 'Homework club', 'Repair café', 'Choir'];
const WHERE = ['för unga', 'för familjer', 'för seniorer', 'på lördagar', 'i parken', 'på biblioteket', 'voor nieuwkomers', 'for everyone'];
// Approved applications come only with their grant (seedGrantsAtScale), as in the real flow.
const SPREAD: [ApplicationStatus, number][] = [
	['submitted', 20], ['in_review', 40], ['rejected', 20], ['ineligible', 5], ['needs_changes', 5], ['withdrawn', 5], ['draft', 5]
];
const KINDS: OrganisationKind[] = ['association', 'school', 'informal_group'];

/** The call generated data goes into: the latest published call already open (the demo's open call). */
export async function scaleCall(database: Database, now = new Date()) {
	const [call] = await database.db
		.select()
		.from(calls)
		.where(and(eq(calls.status, 'published'), lte(calls.opensAt, now)))
		.orderBy(desc(calls.opensAt))
		.limit(1);
	if (!call) throw new Error('seed the demo data first: no published call');
	return call;
}

/**
 * Generates `count` applications (with applicants, organisations, budget lines, neighbourhoods
 * and search rows) in the call `scaleCall` names, in batches: for measuring lists at real size.
 */
export async function seedApplicationsAtScale(database: Database, count: number, now = new Date(), only?: ApplicationStatus) {
	const call = await scaleCall(database, now);
	const places = (await database.db.select({ id: neighbourhoods.id }).from(neighbourhoods)).map((r) => r.id);
	const passwordHash = await hashPassword(crypto.randomUUID());
	const tag = Date.now().toString(36);
	const people = Math.max(50, Math.ceil(count / 10));
	const userIds: string[] = [];
	for (let start = 0; start < people; start += 1000) {
		const batch = Array.from({ length: Math.min(1000, people - start) }, (_, k) => {
			const i = start + k;
			return {
				id: crypto.randomUUID(),
				email: `${FIRST[i % FIRST.length]}.${LAST[(i * 7) % LAST.length]}.${tag}.${i}@example.org`.toLowerCase(),
				name: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
				locale: (['sv', 'nl', 'en'] as const)[i % 3],
				passwordHash,
				emailVerifiedAt: now,
				createdAt: now
			};
		});
		userIds.push(...batch.map((u) => u.id));
		await database.write((tx) => tx.insert(users).values(batch));
	}
	const orgCount = Math.ceil(people / 2);
	const orgRows = Array.from({ length: orgCount }, (_, i) => ({
		id: crypto.randomUUID(),
		kind: KINDS[i % 3],
		name: `${['Föreningen', 'Vereniging', 'Grupp', 'Skolan'][i % 4]} ${WHAT[i % WHAT.length]} ${LAST[i % LAST.length]} ${i}`,
		orgNumber: null,
		address: '',
		neighbourhoodId: places[i % places.length],
		contactEmail: `org${i}.${tag}@example.org`,
		createdAt: now
	}));
	for (let start = 0; start < orgRows.length; start += 1000) {
		const batch = orgRows.slice(start, start + 1000);
		await database.write(async (tx) => {
			await tx.insert(organisations).values(batch);
			await tx.insert(organisationMembers).values(batch.map((o, k) => ({ organisationId: o.id, userId: userIds[(start + k) % userIds.length], role: 'owner' as const, createdAt: now })));
		});
	}
	const statuses = SPREAD.flatMap(([s, n]) => Array<ApplicationStatus>(n).fill(s));
	for (let start = 0; start < count; start += 1000) {
		const size = Math.min(1000, count - start);
		await database.write(async (tx) => {
			const rows = Array.from({ length: size }, (_, k) => {
				const i = start + k;
				const withOrg = i % 3 !== 0;
				const org = orgRows[i % orgRows.length];
				const status = only ?? statuses[i % statuses.length];
				const submitted = status !== 'draft' && !(status === 'withdrawn' && i % 2 === 0);
				const at = new Date(now.getTime() - (i % 365) * 86_400_000);
				return {
					callId: call.id,
					applicantId: userIds[i % userIds.length],
					organisationId: withOrg ? org.id : null,
					applicantKind: withOrg ? org.kind : ('individual' as const),
					language: 'sv' as const,
					status,
					title: `${WHAT[i % WHAT.length]} ${WHERE[(i * 3) % WHERE.length]} ${i}`,
					summary: `${WHAT[(i + 5) % WHAT.length]} och gemenskap i kvarteret.`,
					description: 'Genererad ansökan för mätning.',
					targetGroups: ['everyone'],
					expectedParticipants: 10 + (i % 90),
					startDate: '2027-03-01',
					endDate: '2027-09-30',
					requestedAmount: 500_000 + (i % 90) * 50_000,
					neighbourhoodId: places[i % places.length],
					createdAt: at,
					updatedAt: at,
					submittedAt: submitted ? at : null,
					...(status === 'approved' ? { decidedAt: new Date(at.getTime() + 20 * 86_400_000) } : {})
				};
			});
			const ids = await tx.insert(applications).values(rows).returning({ id: applications.id });
			await tx.insert(budgetLines).values(ids.map((r, k) => ({ applicationId: r.id, position: 0, item: 'Material', category: 'materials' as const, amount: rows[k].requestedAmount })));
			await tx.insert(applicationNeighbourhoods).values(ids.map((r, k) => ({ applicationId: r.id, neighbourhoodId: rows[k].neighbourhoodId })));
			await tx.run(sql`insert into applications_fts (rowid, title, summary, organisation)
				select a.id, a.title, a.summary, coalesce(o.name, '') from applications a left join organisations o on o.id = a.organisation_id
				where a.id between ${ids[0].id} and ${ids[ids.length - 1].id}`);
		});
	}
}

/**
 * Generates `count` grants with their money at real size, for measuring finance and the public
 * register: approved applications (made here), a grant each from one large fund, an 80/20 payment
 * schedule, confirmed IBAN payout details, and ledger rows — a commitment per grant, and for most
 * a first payment (about three rows per grant). States: a fifth due for payment, most active and
 * paid once, some completed or closed with their final payment made.
 */
export async function seedGrantsAtScale(database: Database, count: number, now = new Date()) {
	await seedApplicationsAtScale(database, count, now, 'approved');
	const [officer] = await database.db.select({ id: userRoles.userId }).from(userRoles).where(eq(userRoles.role, 'officer')).limit(1);
	const approver = officer?.id ?? 'scale-seed';
	const fundId = crypto.randomUUID();
	await database.write((tx) => tx.insert(funds).values({ id: fundId, name: `Skalfond ${now.getFullYear()}`, currency: 'SEK', budget: 1_000_000_000_000, periodStart: '2026-01-01', periodEnd: '2027-12-31', createdAt: now }));
	for (let cursor = 0; ; ) {
		const apps = await database.db
			.select({ id: applications.id, amount: applications.requestedAmount, decidedAt: applications.decidedAt })
			.from(applications)
			.leftJoin(grants, eq(grants.applicationId, applications.id))
			.where(and(eq(applications.status, 'approved'), gt(applications.id, cursor), isNull(grants.id)))
			.orderBy(asc(applications.id))
			.limit(1000);
		if (apps.length === 0) return;
		cursor = apps[apps.length - 1].id;
		await database.write(async (tx) => {
			const grantRows = [];
			const trancheRows = [];
			const payoutRows = [];
			const ledgerRows = [];
			for (const a of apps) {
				const id = crypto.randomUUID();
				const amount = a.amount ?? 1_000_000;
				const decided = a.decidedAt ?? now;
				const kind = a.id % 10; // 0–1 due, 2–7 active and paid once, 8 completed, 9 closed
				const status = kind === 8 ? 'completed' : kind === 9 ? 'closed' : 'active';
				grantRows.push({ id, applicationId: a.id, fundId, awardedAmount: amount, status: status as 'active', approvedBy: approver, createdAt: decided, termsVersion: 1, acceptedAt: decided, acceptedBy: approver, closedAt: kind === 9 ? now : null, releasedAmount: 0, owedBack: kind === 9 ? 50_000 : 0 });
				const first = Math.round(amount * 0.8);
				const paidFirst = kind >= 2;
				const paidFinal = kind >= 8;
				const t1 = crypto.randomUUID();
				const t2 = crypto.randomUUID();
				trancheRows.push(
					{ id: t1, grantId: id, position: 0, percent: 80, amount: first, trigger: 'acceptance' as const, status: paidFirst ? ('paid' as const) : ('due' as const), attempts: paidFirst ? (kind <= 5 ? 2 : 1) : 0, dueAt: decided, paidAt: paidFirst ? decided : null, paidBy: paidFirst ? 'scale-seed' : null },
					{ id: t2, grantId: id, position: 1, percent: 20, amount: amount - first, trigger: 'final_report' as const, status: paidFinal ? ('paid' as const) : ('scheduled' as const), attempts: paidFinal ? 1 : 0, paidAt: paidFinal ? now : null, paidBy: paidFinal ? 'scale-seed' : null }
				);
				payoutRows.push({ id: crypto.randomUUID(), grantId: id, kind: 'iban' as const, account: 'SE4550000000058398257466', bic: 'ESSESESS', holderName: `Mottagare ${a.id}`, status: 'confirmed' as const, createdBy: approver, createdAt: decided });
				ledgerRows.push({ fundId, grantId: id, kind: 'commitment' as const, amount, idempotencyKey: `award:${id}`, actorId: approver, at: decided });
				// Kinds 2–5 bounced once (a reversal) before the payment that stuck.
				const bounced = kind >= 2 && kind <= 5;
				if (bounced) {
					ledgerRows.push({ fundId, grantId: id, trancheId: t1, kind: 'disbursement' as const, amount: first, method: 'pain001' as const, reference: `SCALE-${a.id}-0`, idempotencyKey: `pay:${t1}:1`, actorId: 'scale-seed', at: decided });
					ledgerRows.push({ fundId, grantId: id, trancheId: t1, kind: 'reversal' as const, amount: first, reason: 'Returned by the bank', idempotencyKey: `reverse:${t1}:1`, actorId: 'scale-seed', at: decided });
				}
				if (paidFirst) ledgerRows.push({ fundId, grantId: id, trancheId: t1, kind: 'disbursement' as const, amount: first, method: 'bank_transfer' as const, reference: `SCALE-${a.id}-1`, idempotencyKey: `pay:${t1}:${bounced ? 2 : 1}`, actorId: 'scale-seed', at: decided });
				if (kind === 9) {
					// Closed, paid in full, with 500 kr unspent: owed back (a receivable), and paid back.
					ledgerRows.push({ fundId, grantId: id, kind: 'receivable' as const, amount: 50_000, idempotencyKey: `receivable:${id}:unspent`, actorId: approver, at: now });
					ledgerRows.push({ fundId, grantId: id, kind: 'repayment' as const, amount: 50_000, method: 'bank_transfer' as const, reference: `SCALE-${a.id}-R`, idempotencyKey: `repay:bank:${id}:SCALE`, actorId: 'scale-seed', at: now });
				}
				if (paidFinal) ledgerRows.push({ fundId, grantId: id, trancheId: t2, kind: 'disbursement' as const, amount: amount - first, method: 'bank_transfer' as const, reference: `SCALE-${a.id}-2`, idempotencyKey: `pay:${t2}:1`, actorId: 'scale-seed', at: now });
			}
			await tx.insert(grants).values(grantRows);
			for (let i = 0; i < trancheRows.length; i += 500) await tx.insert(paymentTranches).values(trancheRows.slice(i, i + 500));
			await tx.insert(payoutAccounts).values(payoutRows);
			for (let i = 0; i < ledgerRows.length; i += 500) await tx.insert(ledgerEntries).values(ledgerRows.slice(i, i + 500));
		});
	}
}

/**
 * Gives every generated application that reviewers have seen (in review, approved, rejected) of
 * the call `scaleCall` names `perApplication` submitted reviews with a score per criterion, by a
 * pool of generated reviewers appointed to the call: for measuring the ranking and the queues.
 * Returns how many reviews it made.
 */
export async function seedReviewsAtScale(database: Database, perApplication = 3, now = new Date()) {
	const call = await scaleCall(database, now);
	const crit = await database.db.select({ id: criteria.id, scaleMax: criteria.scaleMax }).from(criteria).where(eq(criteria.callId, call.id));
	const passwordHash = await hashPassword(crypto.randomUUID());
	const tag = Date.now().toString(36);
	const pool = Array.from({ length: 60 }, (_, i) => ({
		id: crypto.randomUUID(),
		email: `granskare.${tag}.${i}@example.org`,
		name: `${FIRST[(i * 3) % FIRST.length]} ${LAST[(i * 5) % LAST.length]}`,
		locale: (['sv', 'nl', 'en'] as const)[i % 3],
		passwordHash,
		emailVerifiedAt: now,
		createdAt: now
	}));
	await database.write(async (tx) => {
		await tx.insert(users).values(pool);
		await tx.insert(userRoles).values(pool.map((u) => ({ userId: u.id, role: 'reviewer' as const, grantedAt: now })));
		await tx.insert(callReviewers).values(pool.map((u) => ({ callId: call.id, userId: u.id, appointedBy: 'scale-seed', createdAt: now })));
	});
	let made = 0;
	for (let cursor = 0; ; ) {
		const apps = await database.db
			.select({ id: applications.id })
			.from(applications)
			.where(and(eq(applications.callId, call.id), inArray(applications.status, ['in_review', 'approved', 'rejected']), gt(applications.id, cursor), sql`not exists (select 1 from ${reviewAssignments} ra where ra.application_id = ${applications.id})`))
			.orderBy(asc(applications.id))
			.limit(500);
		if (apps.length === 0) return made;
		cursor = apps[apps.length - 1].id;
		await database.write(async (tx) => {
			const assignmentRows = [];
			const reviewRows = [];
			const scoreRows = [];
			for (const a of apps) {
				for (let k = 0; k < perApplication; k++) {
					const reviewer = pool[(a.id * 7 + k * 13) % pool.length];
					const assignmentId = crypto.randomUUID();
					const reviewId = crypto.randomUUID();
					assignmentRows.push({ id: assignmentId, applicationId: a.id, reviewerId: reviewer.id, assignedBy: 'scale-seed', assignedAt: now, dueAt: now, conflict: 'none' as const, declaredAt: now });
					const base = 1 + ((a.id + k) % 5);
					reviewRows.push({ id: reviewId, assignmentId, applicationId: a.id, reviewerId: reviewer.id, recommendation: base >= 3 ? ('fund' as const) : ('do_not_fund' as const), language: reviewer.locale, updatedAt: now, submittedAt: now });
					for (const [ci, c] of crit.entries()) scoreRows.push({ reviewId, criterionId: c.id, score: Math.min(c.scaleMax, base + (ci % 2)), justification: 'Genererad bedömning.' });
				}
			}
			for (let i = 0; i < assignmentRows.length; i += 500) await tx.insert(reviewAssignments).values(assignmentRows.slice(i, i + 500));
			for (let i = 0; i < reviewRows.length; i += 500) await tx.insert(reviews).values(reviewRows.slice(i, i + 500));
			for (let i = 0; i < scoreRows.length; i += 500) await tx.insert(reviewScores).values(scoreRows.slice(i, i + 500));
			await storeWeightedScores(tx, reviewRows.map((r) => r.id));
		});
		made += apps.length * perApplication;
	}
}
