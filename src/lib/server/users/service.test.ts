import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { auditEvents, emailOutbox, sessions, userRoles } from '../db/schema/index.ts';
import { createSession } from '../auth/session.ts';
import { listAuditEvents } from '../audit/service.ts';
import { DomainError } from '../errors.ts';
import { getUser, grantRole, listUsers, revokeRole, setUserDisabled, USERS_PAGE_SIZE } from './service.ts';

let db: TestDb;
beforeAll(async () => {
	db = await createTestDb();
});
afterAll(() => db.cleanup());

const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof DomainError ? e.code : `unexpected ${e}`));

describe('user administration', () => {
	it('lets an admin grant and revoke roles, each audited and emailed', async () => {
		const admin = await createUser(db, { roles: ['admin'] });
		const fatima = await createUser(db, { name: 'Fatima Yilmaz', email: 'fatima@example.se' });
		await grantRole(db.ctx(admin), fatima.id, 'reviewer');
		await grantRole(db.ctx(admin), fatima.id, 'reviewer'); // again: no change, no second event
		expect((await getUser(db.ctx(admin), fatima.id)).roles).toEqual(['reviewer']);
		await revokeRole(db.ctx(admin), fatima.id, 'reviewer');
		expect((await getUser(db.ctx(admin), fatima.id)).roles).toEqual([]);
		const events = await db.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, fatima.id));
		expect(events.map((e) => [e.action, e.actorId, e.summary?.role])).toEqual([
			['user.role_granted', admin.id, 'reviewer'],
			['user.role_revoked', admin.id, 'reviewer']
		]);
		const mails = await db.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, fatima.email));
		expect(mails.map((m) => m.template)).toEqual(['roles-changed', 'roles-changed']);
	});

	it('refuses every operation to non-admins, in the service itself', async () => {
		const officer = await createUser(db, { roles: ['officer'] });
		const target = await createUser(db);
		expect(await codeOf(grantRole(db.ctx(officer), target.id, 'admin'))).toBe('forbidden');
		expect(await codeOf(revokeRole(db.ctx(officer), target.id, 'admin'))).toBe('forbidden');
		expect(await codeOf(setUserDisabled(db.ctx(officer), target.id, true))).toBe('forbidden');
		expect(await codeOf(listUsers(db.ctx(officer), {}))).toBe('forbidden');
		expect(await codeOf(listAuditEvents(db.ctx(officer), {}))).toBe('forbidden');
		expect(await codeOf(listUsers(db.ctx(null), {}))).toBe('forbidden');
		expect(await db.database.db.select().from(userRoles).where(eq(userRoles.userId, target.id))).toEqual([]);
	});

	it('refuses unknown roles and users, and an admin removing their own admin role', async () => {
		const admin = await createUser(db, { roles: ['admin'] });
		const target = await createUser(db);
		expect(await codeOf(grantRole(db.ctx(admin), target.id, 'superuser'))).toBe('invalid');
		expect(await codeOf(grantRole(db.ctx(admin), 'no-such-user', 'reviewer'))).toBe('not_found');
		expect(await codeOf(revokeRole(db.ctx(admin), admin.id, 'admin'))).toBe('invalid');
		expect(await codeOf(setUserDisabled(db.ctx(admin), admin.id, true))).toBe('invalid');
		expect((await getUser(db.ctx(admin), admin.id)).roles).toEqual(['admin']);
	});

	it('disabling an account ends its sessions', async () => {
		const admin = await createUser(db, { roles: ['admin'] });
		const target = await createUser(db);
		await db.database.write((tx) => createSession(tx, target.id, new Date(), null));
		await setUserDisabled(db.ctx(admin), target.id, true);
		expect(await db.database.db.select().from(sessions).where(eq(sessions.userId, target.id))).toEqual([]);
		expect((await getUser(db.ctx(admin), target.id)).disabledAt).not.toBeNull();
		await setUserDisabled(db.ctx(admin), target.id, false);
		expect((await getUser(db.ctx(admin), target.id)).disabledAt).toBeNull();
		const actions = (await db.database.db.select().from(auditEvents).where(and(eq(auditEvents.entityId, target.id)))).map((e) => e.action);
		expect(actions).toEqual(['user.disabled', 'user.enabled']);
	});

	it('pages and searches the user list with roles in one query per page', async () => {
		const admin = await createUser(db, { roles: ['admin'] });
		for (let i = 0; i < 30; i++) await createUser(db, { name: `Bulk Person ${String(i).padStart(2, '0')}`, email: `bulk${i}@example.nl` });
		await createUser(db, { name: 'Maes Reviewer', roles: ['reviewer'] });
		const first = await listUsers(db.ctx(admin), { q: 'bulk' });
		expect(first.total).toBe(30);
		expect(first.rows).toHaveLength(USERS_PAGE_SIZE);
		expect(first.pageCount).toBe(2);
		const second = await listUsers(db.ctx(admin), { q: 'BULK', page: 2 });
		expect(second.rows).toHaveLength(5);
		const reviewers = await listUsers(db.ctx(admin), { role: 'reviewer' });
		expect(reviewers.rows.map((r) => r.name)).toContain('Maes Reviewer');
		expect(reviewers.rows.every((r) => r.roles.includes('reviewer'))).toBe(true);
		// A search with LIKE wildcards matches them literally.
		expect((await listUsers(db.ctx(admin), { q: '%' })).total).toBe(0);
	});

	it('filters the audit log by actor, entity and time', async () => {
		const admin = await createUser(db, { roles: ['admin'], email: 'auditor@example.se' });
		const target = await createUser(db);
		await grantRole(db.ctx(admin, new Date('2026-11-20T10:00:00Z')), target.id, 'finance');
		const byActor = await listAuditEvents(db.ctx(admin), { actor: 'AUDITOR@example.se' });
		expect(byActor.rows.map((r) => r.action)).toEqual(['user.role_granted']);
		expect(byActor.rows[0].actorEmail).toBe('auditor@example.se');
		const byEntity = await listAuditEvents(db.ctx(admin), { entityType: 'user', entityId: target.id });
		expect(byEntity.total).toBe(1);
		expect((await listAuditEvents(db.ctx(admin), { entityId: target.id, from: new Date('2026-11-21T00:00:00Z') })).total).toBe(0);
		expect((await listAuditEvents(db.ctx(admin), { entityId: target.id, to: new Date('2026-11-20T23:59:59Z') })).total).toBe(1);
	});
});
