import { sql } from 'drizzle-orm';
import type { TestDb } from './db.ts';
import { applicationMessages, applicationNeighbourhoods, applications, calls, funds, grants, ledgerEntries, milestones, neighbourhoods, organisations, paymentTranches, payoutAccounts, reports, users } from '../db/schema/index.ts';
import type { ApplicantKind } from '../../domain.ts';

const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 2, 1, 10); // 1 March 2026

/**
 * A small town whose statistics are worked out by hand in transparency.test.ts:
 * neighbourhoods A (priority, 1 000 people), B (priority, 3 000), C (4 000), D (2 000, boundary-less);
 * 15 grants — A 6 × 10 000 kr, B 2 × 5 000 kr, C 7 × 20 000 kr — and 5 applications not funded.
 * Application i (0–19) waited 10 + i days for its decision; grant j (0–14) got its first
 * payment j + 1 days after the decision. One association ("Föreningen Återkomst") has three
 * grants (1 first-time, 2 returning); every other grantee one. Kinds: 10 associations, 3 schools,
 * 2 residents (Olivia Open agreed to be named, Sven Secret did not). An accepted final report
 * counts 40 people from A and 3 from C. Private things are planted to prove they never leak.
 */
export async function buildTown(db: TestDb) {
	const ids = { A: crypto.randomUUID(), B: crypto.randomUUID(), C: crypto.randomUUID(), D: crypto.randomUUID() };
	const square = (x: number) => JSON.stringify({ type: 'Polygon', coordinates: [[[x, 50], [x + 0.01, 50], [x + 0.01, 50.01], [x, 50.01], [x, 50]]] });
	const fundId = crypto.randomUUID();
	const callId = crypto.randomUUID();
	const officer = crypto.randomUUID();
	const grantIds: string[] = [];
	await db.database.write(async (tx) => {
		await tx.insert(neighbourhoods).values([
			{ id: ids.A, name: 'Aby', code: 'T-A', population: 1000, priority: true, boundary: square(0), createdAt: new Date(T0) },
			{ id: ids.B, name: 'Berga', code: 'T-B', population: 3000, priority: true, boundary: square(0.01), createdAt: new Date(T0) },
			{ id: ids.C, name: 'Centrum', code: 'T-C', population: 4000, priority: false, boundary: square(0.02), createdAt: new Date(T0) },
			{ id: ids.D, name: 'Dal', code: null, population: 2000, priority: false, boundary: null, createdAt: new Date(T0) }
		]);
		await tx.insert(funds).values({ id: fundId, name: 'Town fund', currency: 'SEK', budget: 100_000_000, periodStart: '2026-01-01', periodEnd: '2026-12-31', createdAt: new Date(T0) });
		await tx.insert(calls).values({ id: callId, fundId, title: 'Town call 2026', opensAt: new Date(T0 - 30 * DAY), closesAt: new Date(T0), minAmount: 100_000, maxAmount: 5_000_000, eligibleKinds: ['association', 'school', 'individual'], paymentTemplate: [{ percent: 100, trigger: 'acceptance' }], status: 'published', createdAt: new Date(T0 - 40 * DAY) });
		const person = async (name: string, email: string) => {
			const id = crypto.randomUUID();
			await tx.insert(users).values({ id, email, name, locale: 'sv', passwordHash: 'x', emailVerifiedAt: new Date(T0), createdAt: new Date(T0) });
			return id;
		};
		await tx.insert(users).values({ id: officer, email: 'officer.town@example.org', name: 'Officer Town', locale: 'en', passwordHash: 'x', createdAt: new Date(T0) });
		const returning = crypto.randomUUID();
		const returningOwner = await person('Ruth Repeat', 'ruth.repeat@example.org');
		await tx.insert(organisations).values({ id: returning, kind: 'association', name: 'Föreningen Återkomst', orgNumber: '802456-1238', neighbourhoodId: ids.A, contactEmail: 'secret-contact@example.org', contactPhone: '070-000 00 00', createdAt: new Date(T0), verifiedAt: new Date(T0), verifiedBy: officer });
		// 15 funded: A ×6, B ×2, C ×7; then 5 not funded.
		const plan: { place: keyof typeof ids; amount: number; kind: ApplicantKind; who?: 'returning' | 'olivia' | 'sven' }[] = [
			...Array.from({ length: 6 }, (_, i) => ({ place: 'A' as const, amount: 1_000_000, kind: (i < 3 ? 'association' : i < 5 ? 'school' : 'association') as ApplicantKind, who: i < 3 ? ('returning' as const) : undefined })),
			{ place: 'B', amount: 500_000, kind: 'individual', who: 'olivia' },
			{ place: 'B', amount: 500_000, kind: 'individual', who: 'sven' },
			...Array.from({ length: 7 }, (_, i) => ({ place: 'C' as const, amount: 2_000_000, kind: (i === 0 ? 'school' : 'association') as ApplicantKind }))
		];
		for (let i = 0; i < 20; i++) {
			const p = plan[i] ?? { place: 'D' as const, amount: 700_000, kind: 'association' as ApplicantKind };
			const funded = i < 15;
			const submitted = new Date(T0 + i * DAY);
			const decided = new Date(submitted.getTime() + (10 + i) * DAY);
			let applicantId: string;
			let organisationId: string | null = null;
			if (p.who === 'returning') {
				applicantId = returningOwner;
				organisationId = returning;
			} else if (p.who === 'olivia') applicantId = await person('Olivia Open', 'olivia.open@example.org');
			else if (p.who === 'sven') applicantId = await person('Sven Secret', 'sven.secret@example.org');
			else {
				applicantId = await person(`Owner ${i}`, `owner${i}@example.org`);
				organisationId = crypto.randomUUID();
				await tx.insert(organisations).values({ id: organisationId, kind: p.kind as 'association', name: `Organisation ${i}`, neighbourhoodId: ids[p.place], contactEmail: `org${i}-contact@example.org`, createdAt: new Date(T0) });
			}
			const [app] = await tx
				.insert(applications)
				.values({ callId, applicantId, organisationId, applicantKind: p.kind, status: funded ? 'approved' : 'rejected', title: `Project ${i} in ${p.place}`, summary: `Summary of project ${i}`, description: `Private description ${i}`, requestedAmount: p.amount, neighbourhoodId: ids[p.place], publicName: p.who === 'olivia', createdAt: submitted, updatedAt: decided, submittedAt: submitted, decidedAt: decided, screeningNote: 'SCREENING-NOTE-PRIVATE', decisionReason: funded ? null : 'REJECTION-REASON-PRIVATE', startDate: '2026-05-01', endDate: '2026-10-31' })
				.returning({ id: applications.id });
			await tx.insert(applicationNeighbourhoods).values({ applicationId: app.id, neighbourhoodId: ids[p.place] });
			await tx.insert(applicationMessages).values({ applicationId: app.id, authorId: officer, body: 'INTERNAL-MESSAGE-PRIVATE', visibility: 'internal', createdAt: decided });
			await tx.run(sql`insert into applications_fts (rowid, title, summary, organisation) values (${app.id}, ${`Project ${i} in ${p.place}`}, ${`Summary of project ${i}`}, '')`);
			if (!funded) continue;
			const grantId = crypto.randomUUID();
			grantIds.push(grantId);
			const tranche = crypto.randomUUID();
			const paidAt = new Date(decided.getTime() + (i + 1) * DAY);
			await tx.insert(grants).values({ id: grantId, applicationId: app.id, fundId, awardedAmount: p.amount, status: i % 2 ? 'active' : 'completed', approvedBy: officer, createdAt: decided, acceptedAt: decided, acceptedBy: applicantId, termsVersion: 1 });
			await tx.insert(paymentTranches).values({ id: tranche, grantId, position: 0, percent: 100, amount: p.amount, trigger: 'acceptance', status: 'paid', attempts: 1, paidAt, paidBy: officer });
			await tx.insert(payoutAccounts).values({ id: crypto.randomUUID(), grantId, kind: 'iban', account: 'SE4550000000058398257466', holderName: 'HOLDER-NAME-PRIVATE', status: 'confirmed', createdBy: applicantId, createdAt: decided });
			await tx.insert(ledgerEntries).values([
				{ fundId, grantId, kind: 'commitment', amount: p.amount, idempotencyKey: `award:${grantId}`, actorId: officer, at: decided },
				{ fundId, grantId, trancheId: tranche, kind: 'disbursement', amount: p.amount, method: 'bank_transfer', reference: 'BANK-REF-PRIVATE', idempotencyKey: `pay:${tranche}:1`, actorId: officer, at: paidAt }
			]);
			const ms = crypto.randomUUID();
			await tx.insert(milestones).values({ id: ms, grantId, position: 0, title: 'Final report', dueDate: '2026-11-30', isFinal: true });
			if (i === 0) {
				await tx.insert(reports).values({ id: crypto.randomUUID(), milestoneId: ms, grantId, narrative: 'REPORT-NARRATIVE-PRIVATE', participants: 43, participantsByNeighbourhood: { [ids.A]: 40, [ids.C]: 3 }, unspentAmount: 0, status: 'accepted', updatedAt: new Date(T0), submittedAt: new Date(T0) });
			}
		}
	});
	return { ids, fundId, callId, grantIds };
}
