import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { applicationNeighbourhoods, applications, budgetLines, calls, neighbourhoods, organisationMembers, organisations, users } from '../db/schema/index.ts';
import { hashPassword } from '../auth/password.ts';
import type { ApplicationStatus, OrganisationKind } from '../../domain.ts';

const FIRST = ['Amir', 'Sara', 'Johan', 'Leila', 'Erik', 'Noor', 'Anna', 'Yusuf', 'Sofie', 'Daan', 'Emma', 'Omar', 'Lotte', 'Ali', 'Maja', 'Ines', 'Ruben', 'Hana', 'Karin', 'Bram'];
const LAST = ['Andersson', 'Mohamed', 'Peeters', 'Nilsson', 'Ahmadi', 'Maes', 'Johansson', 'Karimi', 'Willems', 'Eriksson', 'Haddad', 'Claes', 'Larsson', 'Osman', 'Jacobs', 'Berg'];
const WHAT = ['Läxhjälp', 'Språkcafé', 'Fotboll', 'Odling', 'Matlagning', 'Teater', 'Cykelverkstad', 'Dans', 'Schack', 'Musik', 'Huiswerkklas', 'Buurtfeest', 'Homework club', 'Repair café', 'Choir'];
const WHERE = ['för unga', 'för familjer', 'för seniorer', 'på lördagar', 'i parken', 'på biblioteket', 'voor nieuwkomers', 'for everyone'];
const SPREAD: [ApplicationStatus, number][] = [
	['submitted', 20], ['in_review', 30], ['approved', 15], ['rejected', 15], ['ineligible', 5], ['needs_changes', 5], ['withdrawn', 5], ['draft', 5]
];
const KINDS: OrganisationKind[] = ['association', 'school', 'informal_group'];

/**
 * Generates `count` applications (with applicants, organisations, budget lines, neighbourhoods
 * and search rows) in the first published call, in batches: for measuring lists at real size.
 */
export async function seedApplicationsAtScale(database: Database, count: number, now = new Date()) {
	const [call] = await database.db.select().from(calls).where(eq(calls.status, 'published')).orderBy(asc(calls.opensAt)).limit(1);
	if (!call) throw new Error('seed the demo data first: no published call');
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
				const status = statuses[i % statuses.length];
				const submitted = status !== 'draft' && !(status === 'withdrawn' && i % 2 === 0);
				const at = new Date(now.getTime() - (i % 365) * 86_400_000);
				return {
					callId: call.id,
					applicantId: userIds[i % userIds.length],
					organisationId: withOrg ? org.id : null,
					applicantKind: withOrg ? org.kind : ('individual' as const),
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
					submittedAt: submitted ? at : null
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
