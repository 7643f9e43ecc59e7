import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { emailOutbox } from '../db/schema/index.ts';
import { uniqueOrgNumber } from '../testing/fixtures.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../context.ts';
import { acceptInvitation, createOrganisation, getOrganisation, inviteMember, listMyOrganisations, updateOrganisation, type OrganisationInput } from './service.ts';

let db: TestDb;
let owner: Actor;
beforeAll(async () => {
	db = await createTestDb();
	owner = await createUser(db, { name: 'Sofie Maes', email: 'sofie@example.be' });
});
afterAll(() => db.cleanup());

const codeOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e) => (e instanceof DomainError ? `${e.code}${e.field ? `:${e.field}` : ''}` : Promise.reject(e))
	);
const input = (o: Partial<OrganisationInput> = {}): OrganisationInput => ({
	kind: 'association', name: 'Buurtvereniging De Linde', orgNumber: uniqueOrgNumber(), address: 'Lindegatan 3', neighbourhoodId: '', contactEmail: 'info@delinde.example', contactPhone: '', ...o
});

describe('organisations', () => {
	it('check the organisation number for the configured country; informal groups may have none', async () => {
		expect(await codeOf(createOrganisation(db.ctx(owner), input({ orgNumber: '802456-1234' })))).toBe('invalid:orgNumber');
		expect(await codeOf(createOrganisation(db.ctx(owner), input({ orgNumber: '' })))).toBe('invalid:orgNumber');
		expect(await codeOf(createOrganisation(db.ctx(owner), input({ kind: 'informal_group', orgNumber: '' })))).toBe('ok');
		expect(await codeOf(createOrganisation(db.ctx(owner), input({ contactEmail: 'nope' })))).toBe('invalid:contactEmail');
		const belgian = await (await import('../testing/db.ts')).createTestDb({ COUNTRY: 'BE' });
		const u = await createUser(belgian);
		expect(await codeOf(createOrganisation(belgian.ctx(u), input({ orgNumber: '0403.170.701' })))).toBe('ok');
		expect(await codeOf(createOrganisation(belgian.ctx(u), input({ orgNumber: '802456-1238' })))).toBe('invalid:orgNumber');
		belgian.cleanup();
	});

	it('are seen and changed only by their members', async () => {
		const id = await createOrganisation(db.ctx(owner), input());
		const stranger = await createUser(db);
		expect(await codeOf(getOrganisation(db.ctx(stranger), id))).toBe('not_found');
		expect(await codeOf(updateOrganisation(db.ctx(stranger), id, input({ name: 'Hijacked' })))).toBe('not_found');
		expect((await getOrganisation(db.ctx(owner), id)).role).toBe('owner');
	});

	it('take new members by an emailed invitation for their own address', async () => {
		const id = await createOrganisation(db.ctx(owner), input({ name: 'Huiswerkklas Noord' }));
		const invitee = await createUser(db, { email: 'ruben@example.be', locale: 'nl' });
		const other = await createUser(db, { email: 'other@example.be' });
		await inviteMember(db.ctx(owner), id, 'Ruben@example.be');
		const [mail] = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, 'ruben@example.be')).orderBy(desc(emailOutbox.id));
		expect(mail.subject).toBe('Word lid van Huiswerkklas Noord op Kvarter');
		const token = mail.textBody.match(/token=([a-z2-7]+)/)![1];
		expect(await codeOf(acceptInvitation(db.ctx(other), token))).toBe('invalid');
		expect(await acceptInvitation(db.ctx(invitee), token)).toBe(id);
		expect((await listMyOrganisations(db.ctx(invitee))).map((o) => [o.name, o.role])).toEqual([['Huiswerkklas Noord', 'member']]);
		expect(await codeOf(acceptInvitation(db.ctx(invitee), token))).toBe('invalid'); // used
		// Only the owner invites; inviting a member again is refused.
		expect(await codeOf(inviteMember(db.ctx(invitee), id, 'x@example.be'))).toBe('forbidden');
		expect(await codeOf(inviteMember(db.ctx(owner), id, 'ruben@example.be'))).toBe('conflict:email');
	});
});
