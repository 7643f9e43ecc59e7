import { getApp } from '#lib/server/app.ts';
import { openDataContext, package360Json, streamOf } from '#lib/server/transparency/opendata.ts';
import type { RequestHandler } from './$types';

/** Every accepted grant as a 360Giving data package (JSON), streamed. */
export const GET: RequestHandler = () => {
	const app = getApp();
	return new Response(streamOf(package360Json(app.database.db, openDataContext(app.config))), {
		headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': 'inline; filename="360giving.json"', 'cache-control': 'public, max-age=600', 'access-control-allow-origin': '*' }
	});
};
