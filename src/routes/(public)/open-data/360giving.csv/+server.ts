import { getApp } from '#lib/server/app.ts';
import { openDataContext, package360Csv, streamOf } from '#lib/server/transparency/opendata.ts';
import type { RequestHandler } from './$types';

/** Every accepted grant in 360Giving's flattened CSV columns, streamed. */
export const GET: RequestHandler = () => {
	const app = getApp();
	return new Response(streamOf(package360Csv(app.database.db, openDataContext(app.config))), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="360giving.csv"', 'cache-control': 'public, max-age=600', 'access-control-allow-origin': '*' }
	});
};
