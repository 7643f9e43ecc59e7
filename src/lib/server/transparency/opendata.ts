import { dayOf } from '../calendar.ts';
import { yieldToOthers } from '../db/yield.ts';
import { toCsv, type CsvCell } from '../csv.ts';
import { paidSoFarSql } from '../ledger/figures.ts';
import { publicGrant } from './register.ts';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Reader } from '../db/client.ts';
import { applications, calls, funds, grants, ledgerEntries, neighbourhoods, organisations, users } from '../db/schema/index.ts';
import { sql } from 'drizzle-orm';

/**
 * 360Giving open data of every grant in the public register (accepted, not cancelled), read in
 * pages of BATCH grants in id order (the grants' key, never a sort of all of them) with one query
 * per page for each kind of detail, so 100 000 grants stream in constant memory, and yielding to
 * other requests between pages.
 *
 * Identifiers: grants are `<OPEN_DATA_PREFIX>-<grant id>`; an organisation with an organisation
 * number gets its org-id.guide identifier (SE-BLV-… / BE-BCE_KBO-…), others `<prefix>-ORG-<id>`;
 * a resident gets an opaque `<prefix>-IND-<hash>` that refers to no official record, and is named
 * only if they agreed (otherwise "A resident of <neighbourhood>"). Amounts are in currency units.
 */
const BATCH = 100;

const units = (minor: number) => minor / 100;
const day = (d: Date, o: OpenDataContext) => dayOf(d, o.timeZone);

export interface OpenDataContext {
	prefix: string;
	funderId: string;
	funderName: string;
	country: 'SE' | 'BE';
	origin: string;
	now: Date;
	/** Dates in the municipality's calendar. */
	timeZone: string;
}

export const openDataContext = (config: Config, now = new Date()): OpenDataContext => ({
	prefix: config.OPEN_DATA_PREFIX,
	funderId: config.FUNDER_ORG_ID ?? `${config.OPEN_DATA_PREFIX}-FUNDER`,
	funderName: config.MUNICIPALITY_NAME,
	country: config.COUNTRY,
	origin: config.PUBLIC_ORIGIN,
	now,
	timeZone: config.TIME_ZONE
});

function orgId(o: OpenDataContext, org: { id: string; orgNumber: string | null }) {
	if (org.orgNumber) return o.country === 'SE' ? `SE-BLV-${org.orgNumber.replace(/\D/g, '')}` : `BE-BCE_KBO-${org.orgNumber.replace(/\D/g, '')}`;
	return `${o.prefix}-ORG-${org.id}`;
}

const opaque = (o: OpenDataContext, userId: string) => `${o.prefix}-IND-${createHash('sha256').update(`${o.prefix}:${userId}`).digest('hex').slice(0, 16)}`;

/** The grants as 360Giving objects, page by page. */
export async function* grants360(db: Reader, o: OpenDataContext) {
	const modified = o.now.toISOString();
	for (let cursor = ''; ; ) {
		const page = await db
			.select({
				id: grants.id,
				status: grants.status,
				awarded: grants.awardedAmount,
				createdAt: grants.createdAt,
				title: applications.title,
				summary: applications.summary,
				requested: applications.requestedAmount,
				startDate: applications.startDate,
				endDate: applications.endDate,
				publicName: applications.publicName,
				applicantId: applications.applicantId,
				person: users.name,
				orgId: organisations.id,
				orgName: organisations.name,
				orgNumber: sql<string | null>`case when ${organisations.verifiedAt} is not null then ${organisations.orgNumber} end`,
				place: neighbourhoods.name,
				placeCode: neighbourhoods.code,
				callId: calls.id,
				callTitle: calls.title,
				currency: funds.currency,
				paid: paidSoFarSql(grants.id)
			})
			.from(grants)
			.innerJoin(applications, eq(applications.id, grants.applicationId))
			.innerJoin(calls, eq(calls.id, applications.callId))
			.innerJoin(funds, eq(funds.id, grants.fundId))
			.innerJoin(users, eq(users.id, applications.applicantId))
			.leftJoin(organisations, eq(organisations.id, applications.organisationId))
			.leftJoin(neighbourhoods, eq(neighbourhoods.id, applications.neighbourhoodId))
			.where(and(sql`+(${publicGrant})`, gt(grants.id, cursor)))
			.orderBy(asc(grants.id))
			.limit(BATCH);
		if (page.length === 0) return;
		cursor = page[page.length - 1].id;
		// Let other requests in between pages: the embedded database answers on this one thread.
		await yieldToOthers();
		const rows = await db
			.select({ id: ledgerEntries.id, grantId: ledgerEntries.grantId, kind: ledgerEntries.kind, amount: ledgerEntries.amount, at: ledgerEntries.at })
			.from(ledgerEntries)
			.where(and(inArray(ledgerEntries.grantId, page.map((g) => g.id)), inArray(ledgerEntries.kind, ['commitment', 'disbursement', 'reversal'])))
			.orderBy(asc(ledgerEntries.id));
		const ledgerOf = Map.groupBy(rows, (r) => r.grantId!);
		for (const g of page) {
			const money = ledgerOf.get(g.id) ?? [];
			const transaction = (r: (typeof rows)[number], negative = false) => ({ id: `${o.prefix}-${g.id}-T${r.id}`, transactionDate: day(r.at, o), currency: g.currency, value: units(negative ? -r.amount : r.amount), ...(negative ? { description: 'Payment returned or reversed' } : {}) });
			const recipient = g.orgId
				? { recipientOrganization: [{ id: orgId(o, { id: g.orgId, orgNumber: g.orgNumber }), name: g.orgName! }] }
				: { recipientIndividual: { id: opaque(o, g.applicantId), name: g.publicName ? g.person : g.place ? `A resident of ${g.place}` : 'A resident' } };
			yield {
				id: `${o.prefix}-${g.id}`,
				title: g.title,
				description: g.summary || g.title,
				currency: g.currency,
				amountAppliedFor: units(g.requested),
				amountAwarded: units(g.awarded),
				amountDisbursed: units(Number(g.paid)),
				awardDate: day(g.createdAt, o),
				url: `${o.origin}/projects/${g.id}`,
				...(g.startDate ? { plannedDates: [{ startDate: g.startDate, ...(g.endDate ? { endDate: g.endDate } : {}) }] } : {}),
				...recipient,
				fundingOrganization: [{ id: o.funderId, name: o.funderName }],
				grantProgramme: [{ code: g.callId, title: g.callTitle }],
				...(g.place ? { beneficiaryLocation: [{ name: g.place, countryCode: o.country, ...(g.placeCode ? { geoCode: g.placeCode, geoCodeType: 'municipal area code' } : {}) }] } : {}),
				fromOpenCall: 'Yes' as const,
				commitmentTransaction: money.filter((r) => r.kind === 'commitment').map((r) => transaction(r)),
				disbursementTransaction: money.filter((r) => r.kind !== 'commitment').map((r) => transaction(r, r.kind === 'reversal')),
				dateModified: modified,
				dataSource: `${o.origin}/open-data`
			};
		}
	}
}
export type Grant360 = Awaited<ReturnType<ReturnType<typeof grants360>['next']>>['value'] & object;

/** The 360Giving package as JSON text, chunk by chunk. */
export async function* package360Json(db: Reader, o: OpenDataContext) {
	yield `{"version":"1.4","title":${JSON.stringify(`Grants by ${o.funderName}`)},"license":"https://creativecommons.org/licenses/by/4.0/","grants":[`;
	// Sent in pieces of about 64 KB: a piece per grant costs the stream more than the JSON does.
	let piece = '';
	let first = true;
	for await (const g of grants360(db, o)) {
		piece += (first ? '' : ',') + JSON.stringify(g);
		first = false;
		if (piece.length >= 65_536) {
			yield piece;
			piece = '';
		}
	}
	yield piece + ']}\n';
}

/** The flattened columns 360Giving uses for spreadsheets, with how each is read from a grant. */
const COLUMNS: [string, (g: Grant360) => string | number | undefined][] = [
	['Identifier', (g) => g.id],
	['Title', (g) => g.title],
	['Description', (g) => g.description],
	['Currency', (g) => g.currency],
	['Amount Applied For', (g) => g.amountAppliedFor],
	['Amount Awarded', (g) => g.amountAwarded],
	['Amount Disbursed', (g) => g.amountDisbursed],
	['Award Date', (g) => g.awardDate],
	['URL', (g) => g.url],
	['Planned Dates:Start Date', (g) => g.plannedDates?.[0]?.startDate],
	['Planned Dates:End Date', (g) => g.plannedDates?.[0]?.endDate],
	['Recipient Org:Identifier', (g) => g.recipientOrganization?.[0]?.id],
	['Recipient Org:Name', (g) => g.recipientOrganization?.[0]?.name],
	['Recipient Ind:Identifier', (g) => g.recipientIndividual?.id],
	['Recipient Ind:Name', (g) => g.recipientIndividual?.name],
	['Funding Org:Identifier', (g) => g.fundingOrganization[0].id],
	['Funding Org:Name', (g) => g.fundingOrganization[0].name],
	['Grant Programme:Code', (g) => g.grantProgramme[0].code],
	['Grant Programme:Title', (g) => g.grantProgramme[0].title],
	['Beneficiary Location:Name', (g) => g.beneficiaryLocation?.[0]?.name],
	['Beneficiary Location:Country Code', (g) => g.beneficiaryLocation?.[0]?.countryCode],
	['Beneficiary Location:Geographic Code', (g) => g.beneficiaryLocation?.[0]?.geoCode],
	['Beneficiary Location:Geographic Code Type', (g) => g.beneficiaryLocation?.[0]?.geoCodeType],
	['From An Open Call?', (g) => g.fromOpenCall],
	['Last Modified', (g) => g.dateModified],
	['Data Source', (g) => g.dataSource]
];

/** The same grants as CSV with 360Giving's column titles (one row per grant; transactions are in the JSON). */
export async function* package360Csv(db: Reader, o: OpenDataContext) {
	yield toCsv([COLUMNS.map(([title]) => title)]);
	let rows: CsvCell[][] = [];
	for await (const g of grants360(db, o)) {
		rows.push(COLUMNS.map(([, read]) => read(g)));
		if (rows.length === 200) {
			yield toCsv(rows);
			rows = [];
		}
	}
	if (rows.length) yield toCsv(rows);
}

/** An async generator of text as a byte stream for a Response, pulled as the client reads. */
export function streamOf(chunks: AsyncGenerator<string>) {
	const encoder = new TextEncoder();
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { value, done } = await chunks.next();
			if (done) controller.close();
			else controller.enqueue(encoder.encode(value));
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
}
