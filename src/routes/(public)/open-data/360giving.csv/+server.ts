import { getApp } from '#lib/server/app.ts';
import { openDataContext } from '#lib/server/transparency/opendata.ts';
import { openDataBody } from '#lib/server/transparency/open-data-files.ts';
import type { RequestHandler } from './$types';

/** Every accepted grant in 360Giving's flattened CSV columns, sent from the file kept for the data as it is now. */
export const GET: RequestHandler = async () => {
	const app = getApp();
	const { body, length } = await openDataBody(app.database.db, 'csv', openDataContext(app.config));
	return new Response(body, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="360giving.csv"', 'cache-control': 'public, max-age=600', 'access-control-allow-origin': '*', ...(length === undefined ? {} : { 'content-length': String(length) }) }
	});
};
