import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { createTestDb, createUser, type TestDb } from '../testing/db.ts';
import { startApp } from '../app.ts';
import { requireRole, requireUser, safeNext } from './guards.ts';
import type { Actor } from '../context.ts';

let db: TestDb;
beforeAll(async () => {
	db = await createTestDb();
	await startApp({ ...db.config, BACKGROUND_JOBS: false });
});
afterAll(() => db.cleanup());

const eventFor = (actor: Actor | null, path = '/admin/users?page=2') =>
	({ locals: { actor, sessionToken: null }, url: new URL(`http://localhost:5173${path}`), getClientAddress: () => '127.0.0.1' }) as unknown as RequestEvent;

/** What a guard threw: Kit's redirect and error objects carry status (and location). */
function thrown(fn: () => unknown) {
	try {
		fn();
	} catch (e) {
		const x = e as { status?: number; location?: string };
		return { status: x.status, location: x.location };
	}
	return null;
}

describe('page guards', () => {
	it('sends visitors to sign-in and back to where they were', () => {
		expect(thrown(() => requireUser(eventFor(null)))).toEqual({ status: 303, location: '/sign-in?next=%2Fadmin%2Fusers%3Fpage%3D2' });
	});

	it('answers 403 to a signed-in user without the role, and lets the role through', async () => {
		const applicant = await createUser(db);
		const admin = await createUser(db, { roles: ['admin'] });
		expect(thrown(() => requireRole(eventFor(applicant), 'admin'))?.status).toBe(403);
		expect(thrown(() => requireRole(eventFor(admin), 'officer', 'finance'))?.status).toBe(403);
		expect(requireRole(eventFor(admin), 'admin').actor.id).toBe(admin.id);
		expect(requireUser(eventFor(applicant)).actor.id).toBe(applicant.id);
	});

	it('only returns to local paths after sign-in', () => {
		expect(safeNext('/account')).toBe('/account');
		expect(safeNext('//evil.example/')).toBe('/');
		expect(safeNext('https://evil.example/')).toBe('/');
		expect(safeNext('/\\evil.example')).toBe('/');
		expect(safeNext(null)).toBe('/');
	});
});
