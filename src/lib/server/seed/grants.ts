import { eq, sql } from 'drizzle-orm';
import { dayOf, yearOf } from '../calendar.ts';
import type { Database } from '../db/client.ts';
import type { Config } from '../config.ts';
import type { Actor, Ctx } from '../context.ts';
import { applications, budgetLines, calls, criteria, milestones, neighbourhoods, userRoles, users } from '../db/schema/index.ts';
import { createCall, createFund, publishCall, type CallInput } from '../calls/service.ts';
import { decide } from '../decisions/service.ts';
import { appointReviewer, assignReviewer, autoAssign } from '../reviews/assignment.ts';
import { declareConflict, myQueue, saveReview } from '../reviews/service.ts';
import { acceptOffer, declineOffer, ownerOf, setMilestones } from '../grants/service.ts';
import { reviewReport, saveReport, type ReportInput } from '../grants/reports.ts';
import type { PayoutInput } from '../grants/payout.ts';
import { createOrganisation } from '../organisations/service.ts';
import { saveApplication, screenApplication, startApplication, submitApplication, withdrawApplication, type ApplicationInput } from '../applications/service.ts';
import type { ApplicationStatus } from '../../domain.ts';
import { seedHistory } from './history.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A demo person as an actor, with their roles (for the seed, and tests that act as the demo people). */
export async function actorByEmail(database: Database, email: string): Promise<Actor> {
	const [u] = await database.db.select().from(users).where(eq(users.email, email));
	const roles = await database.db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, u.id));
	return { id: u.id, email: u.email, name: u.name, locale: u.locale, roles: roles.map((r) => r.role) };
}

const DEMO_APPLICATIONS: { who: string; org: string | null; status: ApplicationStatus; input: Omit<ApplicationInput, 'neighbourhoodIds' | 'requestedAmount'>; places: string[]; note?: string }[] = [
	{
		who: 'amina@kvarter.demo', org: null, status: 'draft', places: ['Norrbacka'],
		input: { title: 'Syjunta för mammor i Norrbacka', summary: 'En syjunta där mammor lär känna varandra och lär sig svenska.', description: 'Varje onsdag träffas vi i föreningslokalen, syr och pratar svenska.', targetGroups: ['women', 'newcomers'], expectedParticipants: 15, volunteers: 2, partners: '', startDate: '2027-02-01', endDate: '2027-06-30', coFunding: 0, budgetLines: [{ item: 'Symaskiner', category: 'materials', amount: 900_000 }, { item: 'Tyg och tråd', category: 'materials', amount: 300_000 }] }
	},
	{
		who: 'grace@kvarter.demo', org: null, status: 'submitted', places: ['Ekdalen'],
		input: { title: 'Community garden at Ekdalen', summary: 'Neighbours grow vegetables together in the courtyard and share a harvest meal.', description: 'We turn an unused lawn into raised beds, with a weekly gardening evening open to all.', targetGroups: ['families', 'everyone'], expectedParticipants: 60, volunteers: 8, partners: 'Ekdalen housing company', startDate: '2027-04-01', endDate: '2027-09-30', coFunding: 500_000, budgetLines: [{ item: 'Raised beds and soil', category: 'materials', amount: 1_400_000 }, { item: 'Seeds and tools', category: 'materials', amount: 350_000 }, { item: 'Harvest meal', category: 'food', amount: 450_000 }] }
	},
	{
		who: 'joost@kvarter.demo', org: 'Buurtgroep De Brug', status: 'needs_changes', places: ['Tallbacken'],
		input: { title: 'Taalcafé in Tallbacken', summary: 'A weekly language café where newcomers and long-time residents practise Swedish over coffee.', description: 'Volunteers host conversation tables every Thursday evening in the library.', targetGroups: ['newcomers', 'adults'], expectedParticipants: 35, volunteers: 5, partners: 'Tallbacken library', startDate: '2027-01-15', endDate: '2027-12-15', coFunding: 0, budgetLines: [{ item: 'Coffee and pastries', category: 'food', amount: 800_000 }, { item: 'Posters in five languages', category: 'communication', amount: 150_000 }] },
		note: 'Could you say how you will reach people who do not use the library yet?'
	},
	{
		who: 'amina@kvarter.demo', org: 'Norrbacka Idrottsförening', status: 'in_review', places: ['Norrbacka', 'Solhöjden'],
		input: { title: 'Fotboll för alla på fredagskvällar', summary: 'Öppen fotboll för unga från Norrbacka och Solhöjden, med ledare från båda områdena.', description: 'Vi hyr konstgräsplanen fredagar 18–21 och blandar lag från båda områdena.', targetGroups: ['youth'], expectedParticipants: 80, volunteers: 10, partners: 'Solhöjdens fritidsgård', startDate: '2027-03-01', endDate: '2027-11-30', coFunding: 1_000_000, budgetLines: [{ item: 'Planhyra', category: 'venue', amount: 2_000_000 }, { item: 'Bollar och västar', category: 'materials', amount: 400_000 }, { item: 'Ledarersättning', category: 'fees', amount: 1_200_000 }] }
	},
	{
		who: 'grace@kvarter.demo', org: null, status: 'ineligible', places: ['Gamla staden'],
		input: { title: 'Jazz concert in the old town', summary: 'A concert for tourists in the old town square.', description: 'A professional jazz band plays for visitors on midsummer.', targetGroups: ['everyone'], expectedParticipants: 300, volunteers: 1, partners: '', startDate: '2027-06-20', endDate: '2027-06-20', coFunding: 0, budgetLines: [{ item: 'Band fee', category: 'fees', amount: 4_000_000 }] },
		note: 'The call funds projects that bring residents together; a concert for tourists does not fit it.'
	},
	{
		who: 'joost@kvarter.demo', org: null, status: 'withdrawn', places: ['Hamnstaden'],
		input: { title: 'Repair café Hamnstaden', summary: 'Neighbours repair bikes and clothes together once a month.', description: 'A monthly repair café in the harbour community room.', targetGroups: ['everyone'], expectedParticipants: 40, volunteers: 4, partners: '', startDate: '2027-03-01', endDate: '2027-10-31', coFunding: 0, budgetLines: [{ item: 'Tools', category: 'materials', amount: 700_000 }] }
	},
	{
		who: 'amina@kvarter.demo', org: 'Norrbacka Idrottsförening', status: 'approved', places: ['Norrbacka'],
		input: { title: 'Simskola för nyanlända barn', summary: 'Simundervisning för barn som inte fått lära sig simma.', description: 'Tio veckors simskola med tolkstöd för föräldrarna.', targetGroups: ['children', 'newcomers'], expectedParticipants: 30, volunteers: 3, partners: 'Älvstads simhall', startDate: '2027-02-15', endDate: '2027-05-15', coFunding: 0, budgetLines: [{ item: 'Simhallstider', category: 'venue', amount: 1_800_000 }, { item: 'Simlärare', category: 'fees', amount: 1_500_000 }] }
	},
	{
		who: 'grace@kvarter.demo', org: null, status: 'rejected', places: ['Västra Ängen'],
		input: { title: 'Film nights at Västra Ängen', summary: 'Outdoor film nights in the park during summer.', description: 'Four film nights with films chosen by residents.', targetGroups: ['families'], expectedParticipants: 120, volunteers: 4, partners: '', startDate: '2027-07-01', endDate: '2027-08-15', coFunding: 0, budgetLines: [{ item: 'Screen and projector rental', category: 'materials', amount: 2_600_000 }] }
	}
];

/** A fund, an open and an upcoming call, organisations and applications in every status. */
export async function seedGrants(database: Database, config: Config, now = new Date()) {
	const [{ n }] = await database.db.select({ n: sql<number>`count(*)` }).from(calls);
	if (n > 0) return;
	const officer = await actorByEmail(database, 'officer@kvarter.demo');
	const ctx = (actor: Actor, at = now): Ctx => ({ database, config, actor, now: at, ip: null, locale: actor.locale });
	const fundId = await createFund(ctx(officer), { name: 'Integrationsfonden Älvstad 2027', currency: 'SEK', budget: 150_000_000, periodStart: '2027-01-01', periodEnd: '2027-12-31' });
	const common = {
		// The municipality writes its calls in Swedish; pages in English or Dutch mark them so.
		language: 'sv' as const,
		terms: {
			en: 'Use the grant for the project as described in your application.\nReport on each milestone by its due date; your reports are public in summary.\nTell the municipality at once if the project changes or stops.\nPay back any money you do not use.',
			sv: 'Använd bidraget till projektet som det beskrivs i ansökan.\nRapportera varje delmål i tid; en sammanfattning av rapporterna är offentlig.\nMeddela kommunen genast om projektet ändras eller upphör.\nBetala tillbaka pengar som inte används.',
			nl: 'Gebruik de subsidie voor het project zoals beschreven in je aanvraag.\nBreng tijdig verslag uit bij elke mijlpaal; een samenvatting van je verslagen is openbaar.\nMeld het de gemeente meteen als het project verandert of stopt.\nBetaal geld terug dat je niet gebruikt.'
		},
		reviewersPerApplication: 2,
		decisionDays: 21,
		paymentTemplate: [{ percent: 80, trigger: 'acceptance' as const }, { percent: 20, trigger: 'final_report' as const }],
		criteria: [
			{ name: 'För samman människor', guidance: 'Möts människor med olika bakgrund, i olika åldrar eller från olika kvarter?', weight: 3, scaleMax: 5 },
			{ name: 'Når kvarteret', guidance: 'Kommer de som projektet är tänkt för verkligen dit?', weight: 2, scaleMax: 5 },
			{ name: 'Genomförbar plan och budget', guidance: 'Är planen realistisk och budgeten rimlig?', weight: 1, scaleMax: 5 }
		]
	};
	const callId = await createCall(ctx(officer), fundId, {
		...common,
		title: 'Mötesplatser i kvarteret 2027',
		description: 'Vi stöder små projekt som för människor i våra bostadsområden samman: läxhjälp, språkcaféer, idrott, odling, kultur.\n\n- Föreningar, skolor, grupper och enskilda boende kan söka\n- **5 000–50 000 kr** per projekt\n- Projekt i Norrbacka, Ekdalen och Tallbacken prioriteras',
		opensAt: new Date(now.getTime() - 14 * DAY),
		closesAt: new Date(now.getTime() + 42 * DAY),
		minAmount: 500_000,
		maxAmount: 5_000_000,
		eligibleKinds: ['association', 'school', 'informal_group', 'individual']
	});
	await publishCall(ctx(officer), callId);
	const upcoming = await createCall(ctx(officer), fundId, {
		...common,
		title: 'Sommarlov i Tallbacken',
		description: 'Aktiviteter för barn och unga under sommarlovet.',
		opensAt: new Date(now.getTime() + 21 * DAY),
		closesAt: new Date(now.getTime() + 60 * DAY),
		minAmount: 200_000,
		maxAmount: 2_000_000,
		eligibleKinds: ['association', 'school', 'informal_group']
	});
	await publishCall(ctx(officer), upcoming);

	const places = Object.fromEntries((await database.db.select().from(neighbourhoods)).map((r) => [r.name, r.id]));
	const orgs: Record<string, string> = {};
	const amina = await actorByEmail(database, 'amina@kvarter.demo');
	const joost = await actorByEmail(database, 'joost@kvarter.demo');
	orgs['Norrbacka Idrottsförening'] = await createOrganisation(ctx(amina), {
		kind: 'association', name: 'Norrbacka Idrottsförening', orgNumber: '802456-1238', address: 'Idrottsvägen 4, Älvstad',
		neighbourhoodId: places['Norrbacka'], contactEmail: 'styrelsen@norrbackaif.example', contactPhone: '070-123 45 67'
	});
	orgs['Buurtgroep De Brug'] = await createOrganisation(ctx(joost), {
		kind: 'informal_group', name: 'Buurtgroep De Brug', orgNumber: '', address: '', neighbourhoodId: places['Tallbacken'], contactEmail: 'joost@kvarter.demo', contactPhone: ''
	});

	for (const [i, demo] of DEMO_APPLICATIONS.entries()) {
		const who = await actorByEmail(database, demo.who);
		const at = new Date(now.getTime() - (13 - i) * DAY);
		const id = await startApplication(ctx(who, at), callId, demo.org ? orgs[demo.org] : null);
		await saveApplication(ctx(who, at), id, { ...demo.input, requestedAmount: null, neighbourhoodIds: demo.places.map((p) => places[p]) });
		if (demo.status === 'draft') continue;
		if (demo.status === 'withdrawn') {
			await withdrawApplication(ctx(who, at), id);
			continue;
		}
		await submitApplication(ctx(who, at), id);
		const later = new Date(at.getTime() + DAY);
		if (demo.status === 'needs_changes') await screenApplication(ctx(officer, later), id, 'request_changes', demo.note!);
		if (demo.status === 'ineligible') await screenApplication(ctx(officer, later), id, 'mark_ineligible', demo.note!);
		if (['in_review', 'approved', 'rejected'].includes(demo.status)) await screenApplication(ctx(officer, later), id, 'mark_eligible', '');
		const decidedAt = new Date(later.getTime() + 5 * DAY);
		if (demo.status === 'approved') await decide(ctx(officer, decidedAt), { applicationId: id, outcome: 'approve', amount: 3_000_000, conditions: 'Mention the municipality on your posters and report how many children learned to swim.' });
		if (demo.status === 'rejected') await decide(ctx(officer, decidedAt), { applicationId: id, outcome: 'reject', reason: 'A good idea, but other projects in this call reach more residents of the priority neighbourhoods.' });
	}

	await seedReviewCalls(database, ctx, officer, fundId, common, places, orgs, now);
	await seedHistory(database, officer.id, now, config.TIME_ZONE);
}

const REVIEW_TITLES = [
	['Läxhjälp i Norrbacka bibliotek', 'Norrbacka'], ['Mattecafé för föräldrar', 'Ekdalen'], ['Huiswerkbegeleiding Tallbacken', 'Tallbacken'],
	['Reading buddies', 'Solhöjden'], ['Språkvänner på Hamnstaden', 'Hamnstaden'], ['Kodklubb för tjejer', 'Norrbacka'],
	['Schack efter skolan', 'Gamla staden'], ['Bokcirkel på lätt svenska', 'Västra Ängen']
] as const;
const CULTURE_TITLES = [
	['Kulturnatt i Ekdalen', 'Ekdalen'], ['Muurschildering De Brug', 'Tallbacken'], ['Community choir', 'Solhöjden'],
	['Teater för unga i Norrbacka', 'Norrbacka'], ['Matfestival från hela världen', 'Hamnstaden'], ['Dansworkshops', 'Västra Ängen']
] as const;

/**
 * Two calls past their deadline: one whose reviews are (nearly) done, so the ranking has scores,
 * and one in review with its pool appointed but nobody assigned yet — the officer's next task.
 */
async function seedReviewCalls(
	database: Database,
	ctx: (actor: Actor, at?: Date) => Ctx,
	officer: Actor,
	fundId: string,
	common: Pick<CallInput, 'reviewersPerApplication' | 'decisionDays' | 'paymentTemplate' | 'criteria' | 'terms' | 'language'>,
	places: Record<string, string>,
	orgs: Record<string, string>,
	now: Date
) {
	const applicants = await Promise.all(['amina@kvarter.demo', 'joost@kvarter.demo', 'grace@kvarter.demo'].map((e) => actorByEmail(database, e)));
	const reviewers = await Promise.all(['reviewer@kvarter.demo', 'ruben@kvarter.demo', 'lotte@kvarter.demo'].map((e) => actorByEmail(database, e)));
	const orgOf = (who: Actor) => (who.email.startsWith('amina') ? orgs['Norrbacka Idrottsförening'] : who.email.startsWith('joost') ? orgs['Buurtgroep De Brug'] : null);
	const at = (days: number) => new Date(now.getTime() - days * DAY);

	async function callWith(title: string, description: string, closedDaysAgo: number, titles: readonly (readonly [string, string])[]) {
		const callId = await createCall(ctx(officer, at(70)), fundId, {
			...common,
			title,
			description,
			opensAt: at(60),
			closesAt: at(closedDaysAgo),
			minAmount: 500_000,
			maxAmount: 4_000_000,
			eligibleKinds: ['association', 'school', 'informal_group', 'individual']
		});
		await publishCall(ctx(officer, at(65)), callId);
		const ids: number[] = [];
		for (const [i, [t, place]] of titles.entries()) {
			const who = applicants[i % 3];
			const id = await startApplication(ctx(who, at(40)), callId, i % 2 === 0 ? orgOf(who) : null);
			await saveApplication(ctx(who, at(40)), id, {
				title: t,
				summary: `${t}: en mötesplats för grannar i ${place}.`,
				description: 'Vi träffas varje vecka, med volontärer från området och i samarbete med skolan och biblioteket.',
				neighbourhoodIds: [places[place]],
				targetGroups: ['children', 'families'],
				expectedParticipants: 20 + i * 5,
				volunteers: 3 + (i % 4),
				partners: '',
				startDate: '2026-09-01',
				endDate: '2027-06-15',
				coFunding: 0,
				requestedAmount: null,
				budgetLines: [
					{ item: 'Material', category: 'materials', amount: 600_000 + i * 150_000 },
					{ item: 'Fika', category: 'food', amount: 400_000 }
				]
			});
			await submitApplication(ctx(who, at(39)), id);
			await screenApplication(ctx(officer, at(closedDaysAgo - 1)), id, 'mark_eligible', '');
			ids.push(id);
		}
		for (const r of reviewers) await appointReviewer(ctx(officer, at(closedDaysAgo - 1)), callId, r.id);
		return { callId, ids };
	}

	const learning = await callWith('Läxhjälp och lärande 2026', 'Stöd till läxhjälp, språkcaféer och lärande utanför skolan.', 20, REVIEW_TITLES);
	// The last application stays in review (the others are decided below): Fatima's unfinished
	// review is on it, whatever order automatic assignment picks reviewers in.
	const staysInReview = learning.ids[learning.ids.length - 1];
	await assignReviewer(ctx(officer, at(18)), staysInReview, reviewers[0].id);
	await autoAssign(ctx(officer, at(18)), learning.callId);
	const [crit] = [await database.db.select().from(criteria).where(eq(criteria.callId, learning.callId))];
	// Each reviewer has a style: Fatima is strict, Ruben generous, Lotte in between; one pair disagrees.
	const style = [-1, 1, 0];
	for (const [ri, r] of reviewers.entries()) {
		const queue = (await myQueue(ctx(r, at(15))))
			.filter((q) => learning.ids.includes(q.applicationId))
			.sort((a, b) => Number(a.applicationId === staysInReview) - Number(b.applicationId === staysInReview));
		for (const [qi, q] of queue.entries()) {
			// Fatima leaves her last two for the demo: one not yet declared, one a draft.
			if (ri === 0 && qi === queue.length - 1) continue;
			await declareConflict(ctx(r, at(14)), q.id, false, '');
			const base = 2 + ((q.applicationId * 7 + qi) % 3) + style[ri];
			const scores = Object.fromEntries(crit.map((c, ci) => [c.id, { score: Math.max(1, Math.min(c.scaleMax, base + (ci % 2))), justification: 'Tydlig plan och ett verkligt behov i området.' }]));
			const draft = ri === 0 && qi === queue.length - 2;
			await saveReview(ctx(r, at(12)), q.id, { scores, recommendation: base >= 3 ? 'fund' : 'do_not_fund', suggestedAmount: null, commentsForStaff: '' }, !draft);
		}
	}

	await seedGrantLives(database, ctx, officer, learning.ids, at);
	await callWith('Kulturmöten i kvarteret 2026', 'Kultur som för samman grannar från olika bakgrunder.', 5, CULTURE_TITLES);
}

/**
 * Grants of the learning call in every state, with reports in every state: offered, running with
 * a draft / a sent / a sent-back report, completed (payments waiting for finance), and declined.
 */
async function seedGrantLives(database: Database, ctx: (actor: Actor, at?: Date) => Ctx, officer: Actor, ids: number[], at: (days: number) => Date) {
	const payouts: PayoutInput[] = [
		{ kind: 'iban', account: 'SE45 5000 0000 0583 9825 7466', bic: 'ESSESESS', holderName: 'Norrbacka Idrottsförening' },
		{ kind: 'iban', account: 'SE35 5000 0000 0549 1000 0003', bic: '', holderName: 'Joost De Smet' },
		{ kind: 'iban', account: 'NL91 ABNA 0417 1643 00', bic: 'ABNANL2A', holderName: 'Grace Okafor' },
		{ kind: 'iban', account: 'BE68 5390 0754 7034', bic: '', holderName: 'Amina Hassan' },
		{ kind: 'bankgiro', account: '5050-1055', bic: '', holderName: 'Buurtgroep De Brug' },
		{ kind: 'plusgiro', account: '90 20 03-3', bic: '', holderName: 'Grace Okafor' }
	];
	// Closed grants, one owing money back, are last year's (history.ts). The second completed
	// grant's first payment is above the demo's second-approval limit.
	const plan = ['offered', 'draft', 'submitted', 'changes_requested', 'completed', 'completed', 'declined'] as const;
	// Ingrid, officer and finance both, decides one of them: she may not pay that one.
	const ingrid = await actorByEmail(database, 'ingrid@kvarter.demo');
	for (const [i, state] of plan.entries()) {
		const id = ids[i];
		const { grantId } = await decide(ctx(state === 'submitted' ? ingrid : officer, at(10)), { applicationId: id, outcome: 'approve', amount: 800_000 + i * 50_000, conditions: i === 0 ? 'Hold at least one session in Arabic or Somali.' : '' });
		const next = yearOf(at(0), ctx(officer).config.TIME_ZONE) + 1;
		await setMilestones(ctx(officer, at(10)), grantId!, [
			// The sent-back report is also overdue, so the officer's list shows the flag.
			{ title: 'Delrapport efter första terminen', dueDate: state === 'changes_requested' ? dayOf(at(2), ctx(officer).config.TIME_ZONE) : `${next}-03-31` },
			{ title: 'Slutrapport', dueDate: `${next}-06-30` }
		]);
		if (state === 'offered') continue;
		const [app] = await database.db.select().from(applications).where(eq(applications.id, id));
		const owner = await actorByEmail(database, (await ownerOf(database.db, app)).email);
		if (state === 'declined') {
			await declineOffer(ctx(owner, at(8)), grantId!, 'We could not find volunteers for the autumn.');
			continue;
		}
		await acceptOffer(ctx(owner, at(9)), grantId!, { termsAccepted: true, payout: payouts[i - 1] });
		const ms = await database.db.select().from(milestones).where(eq(milestones.grantId, grantId!)).orderBy(milestones.position);
		const lines = await database.db.select().from(budgetLines).where(eq(budgetLines.applicationId, id)).orderBy(budgetLines.position);
		const awarded = 800_000 + i * 50_000;
		const report = (spending: Record<number, number>, unspentAmount: number | null): ReportInput => ({
			narrative: 'Vi har träffats varje vecka med i snitt 18 barn och 4 volontärer.',
			participants: 24,
			participantsByNeighbourhood: { [app.neighbourhoodId!]: 20 },
			spending,
			unspentAmount
		});
		await saveReport(ctx(owner, at(6)), grantId!, ms[0].id, report({ [lines[0].id]: Math.floor(awarded / 2) }, null), state !== 'draft');
		if (state === 'draft' || state === 'submitted') continue;
		if (state === 'changes_requested') {
			await reviewReport(ctx(officer, at(4)), grantId!, ms[0].id, 'request_changes', 'Could you say which neighbourhoods the children come from?');
			continue;
		}
		await reviewReport(ctx(officer, at(4)), grantId!, ms[0].id, 'accept', '');
		// Completed: 40 000 unspent is taken off the final payment; both payments wait for finance.
		const unspent = 40_000;
		await saveReport(ctx(owner, at(3)), grantId!, ms[1].id, report({ [lines[0].id]: awarded - unspent - 100_000, [lines[1].id]: 100_000 }, unspent), true);
		await reviewReport(ctx(officer, at(2)), grantId!, ms[1].id, 'accept', '');
	}
}
