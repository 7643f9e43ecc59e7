import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { arg, once } from '../db/prepared.ts';
import { applicationMessages, applicationNeighbourhoods, applications, attachments, auditEvents, budgetLines, calls, funds, grants, neighbourhoods, organisations, paymentTranches, users } from '../db/schema/index.ts';

/** Timeline entries the applicant side sees; staff see every event of the application. */
const APPLICANT_TIMELINE = new Set([
	'application.created',
	'application.submitted',
	'application.resubmitted',
	'application.changes_requested',
	'application.marked_eligible',
	'application.marked_ineligible',
	'application.withdrawn',
	'application.approved',
	'application.rejected'
]);

/**
 * The reads of one application's page, built once per database (`db/prepared.ts`): the page is
 * among the most asked for (every applicant's, every officer's), and these are a dozen queries.
 */
export const applicationById = (db: Reader, id: number) =>
	once(db, 'application.byId', (d) => d.select().from(applications).where(eq(applications.id, arg('id'))).prepare()).all({ id });

export const applicationContext = (db: Reader, id: number) =>
	once(db, 'application.context', (d) =>
		d
			.select({ call: calls, currency: funds.currency, organisation: organisations, applicantName: users.name, applicantEmail: users.email })
			.from(applications)
			.innerJoin(calls, eq(calls.id, applications.callId))
			.innerJoin(funds, eq(funds.id, calls.fundId))
			.innerJoin(users, eq(users.id, applications.applicantId))
			.leftJoin(organisations, eq(organisations.id, applications.organisationId))
			.where(eq(applications.id, arg('id')))
			.prepare()
	).all({ id });

export const budgetLinesOf = (db: Reader, id: number) =>
	once(db, 'application.budgetLines', (d) => d.select().from(budgetLines).where(eq(budgetLines.applicationId, arg('id'))).orderBy(asc(budgetLines.position)).prepare()).all({ id });

export const neighbourhoodsOf = (db: Reader, id: number) =>
	once(db, 'application.neighbourhoods', (d) =>
		d
			.select({ id: neighbourhoods.id, name: neighbourhoods.name, priority: neighbourhoods.priority })
			.from(applicationNeighbourhoods)
			.innerJoin(neighbourhoods, eq(neighbourhoods.id, applicationNeighbourhoods.neighbourhoodId))
			.where(eq(applicationNeighbourhoods.applicationId, arg('id')))
			.orderBy(asc(neighbourhoods.name))
			.prepare()
	).all({ id });

export const attachmentsOf = (db: Reader, id: number) =>
	once(db, 'application.attachments', (d) =>
		d
			.select({ id: attachments.id, fileName: attachments.fileName, contentType: attachments.contentType, size: attachments.size, createdAt: attachments.createdAt })
			.from(attachments)
			.where(eq(attachments.applicationId, arg('id')))
			.orderBy(asc(attachments.createdAt))
			.prepare()
	).all({ id });

/** One page of the thread, newest first; staff see internal notes too. */
export const messagesOf = (db: Reader, id: number, staff: boolean, limit: number, offset: number) =>
	once(db, `application.messages.${staff}`, (d) =>
		d
			.select({
				id: applicationMessages.id,
				body: applicationMessages.body,
				language: applicationMessages.language,
				visibility: applicationMessages.visibility,
				createdAt: applicationMessages.createdAt,
				authorName: users.name,
				authorId: applicationMessages.authorId
			})
			.from(applicationMessages)
			.innerJoin(users, eq(users.id, applicationMessages.authorId))
			.where(staff ? eq(applicationMessages.applicationId, arg('id')) : and(eq(applicationMessages.applicationId, arg('id')), eq(applicationMessages.visibility, 'applicant')))
			.orderBy(desc(applicationMessages.createdAt), desc(applicationMessages.id))
			.limit(arg('limit'))
			.offset(arg('offset'))
			.prepare()
	).all({ id, limit, offset });

/** One page of the timeline, newest first; the applicant sees the events meant for them. */
export const eventsOf = (db: Reader, id: number, staff: boolean, limit: number, offset: number) =>
	once(db, `application.events.${staff}`, (d) =>
		d
			.select({ id: auditEvents.id, at: auditEvents.at, action: auditEvents.action, actorName: users.name })
			.from(auditEvents)
			.leftJoin(users, eq(users.id, auditEvents.actorId))
			.where(and(eq(auditEvents.entityType, 'application'), eq(auditEvents.entityId, arg('entityId')), staff ? undefined : inArray(auditEvents.action, [...APPLICANT_TIMELINE])))
			.orderBy(desc(auditEvents.at), desc(auditEvents.id))
			.limit(arg('limit'))
			.offset(arg('offset'))
			.prepare()
	).all({ entityId: String(id), limit, offset });

/** The application's grant unless cancelled, and its tranches. */
export const liveGrantOf = (db: Reader, id: number) =>
	once(db, 'application.grant', (d) => d.select().from(grants).where(and(eq(grants.applicationId, arg('id')), ne(grants.status, 'cancelled'))).prepare()).all({ id });

export const tranchesOf = (db: Reader, grantId: string) =>
	once(db, 'grant.tranches', (d) => d.select().from(paymentTranches).where(eq(paymentTranches.grantId, arg('grantId'))).orderBy(asc(paymentTranches.position)).prepare()).all({ grantId });
