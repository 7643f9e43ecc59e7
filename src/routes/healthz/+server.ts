import { json } from '@sveltejs/kit';
import { getApp } from '#lib/server/app.ts';
import { checkHealth, checkWrites } from '#lib/server/health.ts';
import type { RequestHandler } from './$types';

const answer = (ok: boolean) => json({ status: ok ? 'ok' : 'unavailable' }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });

/** Liveness: 200 when the database answers a read; 503 otherwise. Changes nothing. */
export const GET: RequestHandler = async () => answer(await checkHealth(getApp().database));

/** Readiness for the operator: 200 only when a write round-trip to the database succeeds. */
export const POST: RequestHandler = async () => answer(await checkWrites(getApp().database));
