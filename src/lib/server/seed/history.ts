import { yearOf } from '../calendar.ts';
import type { Database } from '../db/client.ts';
import { applicationNeighbourhoods, applications, budgetLines, calls, funds, grants, ledgerEntries, milestones, neighbourhoods, organisationMembers, organisations, paymentTranches, payoutAccounts, reports, users } from '../db/schema/index.ts';
import { hashPassword } from '../auth/password.ts';
import { sql } from 'drizzle-orm';
import type { ApplicantKind } from '../../domain.ts';

const DAY = 86_400_000;

// [title, summary, neighbourhood, kind, organisation or resident's name, amount in kronor, people reached]
const PROJECTS: [string, string, string, ApplicantKind, string, number, number][] = [
	['Läxhjälp på Norrbacka skola', 'Volontärer hjälper elever med läxorna två kvällar i veckan.', 'Norrbacka', 'school', 'Norrbacka skola', 28_000, 64],
	['Fotboll utan gränser', 'Blandade lag från Norrbacka och Solhöjden spelar varje lördag.', 'Norrbacka', 'association', 'Norrbacka Idrottsförening', 35_000, 120],
	['Kvinnors simskola', 'Simundervisning för kvinnor på kvinnotider i simhallen.', 'Norrbacka', 'association', 'Kvinnoföreningen Gemenskap', 24_000, 38],
	['Språkcafé i Ekdalen', 'Samtal på svenska över en kopp kaffe, varje tisdag.', 'Ekdalen', 'association', 'Ekdalens Hyresgästförening', 12_000, 45],
	['Odlingslotter för alla', 'Pallkragar på gården och en gemensam skördefest.', 'Ekdalen', 'informal_group', 'Gröna Ekdalen', 18_500, 70],
	['Huiswerkklas De Brug', 'Huiswerkbegeleiding voor kinderen in Tallbacken, met ouders als vrijwilligers.', 'Tallbacken', 'informal_group', 'Buurtgroep De Brug', 16_000, 40],
	['Cykelverkstad Tallbacken', 'Grannar lagar cyklar tillsammans och lånar ut verktyg.', 'Tallbacken', 'association', 'Tallbackens Cykelklubb', 21_000, 85],
	['Matlagning från hela världen', 'Grannar lagar mat från sina hemländer och äter tillsammans.', 'Ekdalen', 'individual', 'Leila Ahmadi', 9_500, 30],
	['Theatre for teenagers', 'A summer theatre course that ends with a show in the square.', 'Solhöjden', 'association', 'Solhöjdens Teaterförening', 30_000, 26],
	['Seniorcafé Gamla staden', 'Ett öppet café där äldre och nyanlända möts.', 'Gamla staden', 'association', 'PRO Gamla staden', 14_000, 52],
	['Hamnfesten', 'En gatufest i Hamnstaden med musik och mat från grannarna.', 'Hamnstaden', 'informal_group', 'Hamnstadens Grannar', 25_000, 400],
	['Dans för alla åldrar', 'Danskvällar där generationer och kulturer möts.', 'Västra Ängen', 'association', 'Dansföreningen Ängen', 15_000, 60],
	['Mammagrupp på arabiska och svenska', 'Nyblivna mammor träffas med en barnmorska och tolk.', 'Norrbacka', 'individual', 'Noor Haddad', 8_000, 22],
	['Schackklubb i biblioteket', 'Schack efter skolan för barn i Tallbacken.', 'Tallbacken', 'school', 'Tallbackens skola', 9_000, 34],
	['Repair café Ekdalen', 'Reparatiecafé: buren repareren samen kleding en apparaten.', 'Ekdalen', 'individual', 'Daan Willems', 7_500, 48],
	['Kodklubb för tjejer', 'Programmering för tjejer 10–14 år, med förebilder från området.', 'Norrbacka', 'school', 'Norrbacka skola', 22_000, 28],
	['Boxning mot utanförskap', 'Träning och läxläsning för unga i en och samma lokal.', 'Norrbacka', 'association', 'Norrbacka Boxningsklubb', 40_000, 75],
	['Kulturnatt i Ekdalen', 'En kväll med konst, musik och berättelser från grannarna.', 'Ekdalen', 'association', 'Ekdalens Hyresgästförening', 33_000, 300],
	['Körsång i Tallbacken', 'Kör för alla åldrar med sånger från många länder.', 'Tallbacken', 'association', 'Tallbackens Kör', 11_000, 36],
	['Utflykter för familjer', 'Fyra utflykter i naturen för familjer som är nya i Älvstad.', 'Ekdalen', 'informal_group', 'Gröna Ekdalen', 19_000, 90],
	['Sommarfotboll Hamnstaden', 'Kvällsfotboll på sommarlovet.', 'Hamnstaden', 'association', 'Hamnstadens IF', 17_000, 55],
	['Storytelling nights', 'Residents tell stories from their lives, in any language, with interpreters.', 'Solhöjden', 'individual', 'Grace Okafor', 6_000, 40],
	['Läsfrämjande på lätt svenska', 'Bokcirklar med böcker på lätt svenska.', 'Västra Ängen', 'association', 'Västra Ängens Bibliotekvänner', 10_000, 25],
	['Ungdomsråd Norrbacka', 'Unga bestämmer över en egen liten pott för aktiviteter.', 'Norrbacka', 'informal_group', 'Ungdomsrådet Norrbacka', 26_000, 110],
	['Stickcafé', 'Stickning och samtal, varannan torsdag.', 'Gamla staden', 'individual', 'Karin Berg', 4_000, 12],
	['Tallbacken tillsammans', 'Grannträffar med fika och information om området.', 'Tallbacken', 'informal_group', 'Buurtgroep De Brug', 13_500, 80],
	['Idrott för flickor', 'Basket och innebandy för flickor, med ledare som talar flera språk.', 'Ekdalen', 'association', 'Ekdalens Sportklubb', 29_000, 47],
	['Musikskola i källaren', 'Gratis musiklektioner för barn i ett före detta förråd.', 'Norrbacka', 'association', 'Musikföreningen Källaren', 38_000, 42],
	['Vägledning till föreningslivet', 'Nyanlända får hjälp att hitta en förening.', 'Solhöjden', 'association', 'Solhöjdens Fritidsgård', 12_500, 65],
	['Trädgårdsskola', 'Barn odlar grönsaker i skolans trädgård och tar hem skörden.', 'Tallbacken', 'school', 'Tallbackens skola', 14_500, 58]
];

/**
 * A finished call from the year before, fast-forwarded: 30 funded projects across the town —
 * more of them in the priority areas — with money paid, reports accepted and people reached, and
 * applications that were not funded. It gives the register and the statistics real content.
 * Written directly (not through the workflow) because it is history, but with the same ledger
 * rows the workflow writes, so the books reconcile.
 */
export async function seedHistory(database: Database, officerId: string, now: Date, timeZone = 'Europe/Stockholm') {
	const year = yearOf(now, timeZone) - 1;
	const at = (month: number, day: number) => new Date(Date.UTC(year, month - 1, day, 10));
	const places = Object.fromEntries((await database.db.select({ id: neighbourhoods.id, name: neighbourhoods.name }).from(neighbourhoods)).map((n) => [n.name, n.id]));
	const passwordHash = await hashPassword(crypto.randomUUID());
	const fundId = crypto.randomUUID();
	const callId = crypto.randomUUID();
	await database.write(async (tx) => {
		await tx.insert(funds).values({ id: fundId, name: `Integrationsfonden Älvstad ${year}`, currency: 'SEK', budget: 80_000_000, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, status: 'active', createdAt: at(1, 5) });
		await tx.insert(calls).values({
			id: callId, fundId, title: `Mötesplatser i kvarteret ${year}`, language: 'sv', description: 'Projekt där grannar från olika bakgrunder möts.', opensAt: at(2, 1), closesAt: at(3, 31),
			minAmount: 300_000, maxAmount: 5_000_000, eligibleKinds: ['association', 'school', 'informal_group', 'individual'], paymentTemplate: [{ percent: 80, trigger: 'acceptance' }, { percent: 20, trigger: 'final_report' }],
			status: 'published', createdAt: at(1, 10)
		});
		const orgIds = new Map<string, string>();
		const people = new Map<string, string>();
		const person = async (name: string) => {
			if (!people.has(name)) {
				const id = crypto.randomUUID();
				await tx.insert(users).values({ id, email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${year}@example.org`, name, locale: 'sv', passwordHash, emailVerifiedAt: at(2, 1), createdAt: at(2, 1) }).onConflictDoNothing();
				people.set(name, id);
			}
			return people.get(name)!;
		};
		let n = 0;
		const apply = async (p: (typeof PROJECTS)[number], status: 'approved' | 'rejected') => {
			const [title, summary, place, kind, who, kronor] = p;
			n++;
			const applicantId = await person(kind === 'individual' ? who : `Kontakt ${who}`);
			let organisationId: string | null = null;
			if (kind !== 'individual') {
				if (!orgIds.has(who)) {
					const id = crypto.randomUUID();
					await tx.insert(organisations).values({ id, kind, name: who, orgNumber: null, neighbourhoodId: places[place], contactEmail: `info.${n}@example.org`, createdAt: at(2, 1) });
					await tx.insert(organisationMembers).values({ organisationId: id, userId: applicantId, role: 'owner', createdAt: at(2, 1) });
					orgIds.set(who, id);
				}
				organisationId = orgIds.get(who)!;
			}
			const submitted = at(3, 1 + (n % 28));
			const decided = new Date(submitted.getTime() + (18 + (n % 15)) * DAY);
			const [app] = await tx
				.insert(applications)
				.values({
					callId, applicantId, organisationId, applicantKind: kind, language: 'sv', status, title, summary, description: summary, targetGroups: ['everyone'], expectedParticipants: p[6],
					startDate: `${year}-05-01`, endDate: `${year}-11-30`, requestedAmount: kronor * 100, neighbourhoodId: places[place], publicName: kind === 'individual' && n % 2 === 0,
					createdAt: submitted, updatedAt: decided, submittedAt: submitted, screenedAt: new Date(submitted.getTime() + 3 * DAY), decidedAt: decided, decidedBy: officerId,
					decisionReason: status === 'rejected' ? 'Other projects reach more residents of the priority areas.' : null
				})
				.returning({ id: applications.id });
			await tx.insert(budgetLines).values({ applicationId: app.id, position: 0, item: 'Projektkostnader', category: 'materials', amount: kronor * 100 });
			await tx.insert(applicationNeighbourhoods).values({ applicationId: app.id, neighbourhoodId: places[place] });
			await tx.run(sql`insert into applications_fts (rowid, title, summary, organisation) values (${app.id}, ${title}, ${summary}, ${kind === 'individual' ? '' : who})`);
			return { appId: app.id, decided };
		};
		for (const [i, p] of PROJECTS.entries()) {
			const { appId, decided } = await apply(p, 'approved');
			const amount = p[5] * 100;
			const grantId = crypto.randomUUID();
			const closed = i % 3 !== 2; // two in three are closed, the rest completed
			// The first one spent a quarter less than awarded: more than its final payment, so it owes the rest back.
			const unspent = i === 0 ? Math.round(amount * 0.25) : i % 5 === 0 ? Math.round(amount * 0.05) : 0;
			const accepted = new Date(decided.getTime() + 4 * DAY);
			const first = Math.round(amount * 0.8);
			const netted = Math.min(unspent, amount - first);
			const owed = unspent - netted;
			const firstPaid = new Date(accepted.getTime() + (6 + (i % 9)) * DAY);
			const finalPaid = at(12, 10);
			await tx.insert(grants).values({ id: grantId, applicationId: appId, fundId, awardedAmount: amount, status: closed ? 'closed' : 'completed', approvedBy: officerId, createdAt: decided, termsVersion: 1, acceptedAt: accepted, acceptedBy: officerId, completedAt: at(12, 1), closedAt: closed ? at(12, 20) : null, releasedAmount: netted, owedBack: owed });
			const [t1, t2] = [crypto.randomUUID(), crypto.randomUUID()];
			await tx.insert(paymentTranches).values([
				{ id: t1, grantId, position: 0, percent: 80, amount: first, trigger: 'acceptance', status: 'paid', attempts: 1, dueAt: accepted, paidAt: firstPaid, paidBy: 'history' },
				// The unspent money was netted against the final payment (see docs/money.md).
				amount - first - netted > 0
					? { id: t2, grantId, position: 1, percent: 20, amount: amount - first - netted, netted, trigger: 'final_report', status: 'paid', attempts: 1, dueAt: at(12, 1), paidAt: finalPaid, paidBy: 'history' }
					: { id: t2, grantId, position: 1, percent: 20, amount: 0, netted, trigger: 'final_report', status: 'waived', waivedReason: 'unspent money netted', attempts: 0 }
			]);
			await tx.insert(payoutAccounts).values({ id: crypto.randomUUID(), grantId, kind: 'iban', account: 'SE4550000000058398257466', bic: 'ESSESESS', holderName: p[4], status: 'confirmed', createdBy: officerId, createdAt: accepted, confirmedBy: officerId, confirmedAt: accepted });
			const [m1, m2] = [crypto.randomUUID(), crypto.randomUUID()];
			await tx.insert(milestones).values([
				{ id: m1, grantId, position: 0, title: 'Delrapport', language: 'sv', dueDate: `${year}-08-31` },
				{ id: m2, grantId, position: 1, title: 'Slutrapport', language: 'sv', dueDate: `${year}-11-30`, isFinal: true }
			]);
			const reached = p[6];
			// People come mostly from the project's own neighbourhood, some from the one next door.
			const origin = { [places[p[2]]]: Math.round(reached * 0.8), [places[i % 2 ? 'Solhöjden' : 'Gamla staden']]: reached - Math.round(reached * 0.8) };
			await tx.insert(reports).values([
				{ id: crypto.randomUUID(), milestoneId: m1, grantId, narrative: 'Halvvägs: aktiviteterna är i gång.', language: 'sv', participants: Math.round(reached / 2), participantsByNeighbourhood: {}, status: 'accepted', updatedAt: at(9, 5), submittedAt: at(9, 5), reviewedAt: at(9, 10), reviewedBy: officerId },
				{ id: crypto.randomUUID(), milestoneId: m2, grantId, narrative: 'Projektet är genomfört.', language: 'sv', participants: reached, participantsByNeighbourhood: origin, unspentAmount: unspent, status: 'accepted', updatedAt: at(11, 28), submittedAt: at(11, 28), reviewedAt: at(12, 1), reviewedBy: officerId }
			]);
			await tx.insert(ledgerEntries).values([
				{ fundId, grantId, kind: 'commitment', amount, idempotencyKey: `award:${grantId}`, actorId: officerId, at: decided },
				{ fundId, grantId, trancheId: t1, kind: 'disbursement', amount: first, method: 'bank_transfer', reference: `HIST-${i}-1`, idempotencyKey: `pay:${t1}:1`, actorId: 'history', at: firstPaid },
				...(amount - first - netted > 0 ? [{ fundId, grantId, trancheId: t2, kind: 'disbursement' as const, amount: amount - first - netted, method: 'pain001' as const, reference: `HIST-${i}-2`, idempotencyKey: `pay:${t2}:1`, actorId: 'history', at: finalPaid }] : []),
				...(netted ? [{ fundId, grantId, trancheId: t2, kind: 'release' as const, amount: netted, reason: 'unspent money netted against a tranche not yet paid', idempotencyKey: `release:${t2}:netted`, actorId: officerId, at: at(12, 1) }] : []),
				...(owed ? [{ fundId, grantId, kind: 'receivable' as const, amount: owed, reason: 'unspent money declared in the final report', idempotencyKey: `receivable:${grantId}:unspent`, actorId: officerId, at: at(12, 1) }] : [])
			]);
		}
		// Not every idea is funded: applications turned down in the same call.
		for (const [i, p] of PROJECTS.slice(0, 14).entries()) await apply([`${p[0]} (${['höst', 'vinter'][i % 2]})`, p[1], p[2], p[3], p[4], p[5], p[6]], 'rejected');
	});
}
