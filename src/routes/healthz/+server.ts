import { json } from '@sveltejs/kit';
import { getApp } from '#lib/server/app.ts';
import { checkHealth } from '#lib/server/health.ts';
import type { RequestHandler } from './$types';

/** 200 only when a write round-trip to the database succeeds; 503 otherwise. */
export const GET: RequestHandler = async () => {
	const ok = await checkHealth(getApp().database);
	return json({ status: ok ? 'ok' : 'unavailable' }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
