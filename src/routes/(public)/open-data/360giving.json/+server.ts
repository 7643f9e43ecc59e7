import { getApp } from '#lib/server/app.ts';
import { openDataContext } from '#lib/server/transparency/opendata.ts';
import { openDataBody } from '#lib/server/transparency/open-data-files.ts';
import type { RequestHandler } from './$types';

/** Every accepted grant as a 360Giving data package (JSON), sent from the file kept for the data as it is now. */
export const GET: RequestHandler = async () => {
	const app = getApp();
	const { body, length } = await openDataBody(app.database.db, 'json', openDataContext(app.config));
	return new Response(body, {
		headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': 'inline; filename="360giving.json"', 'cache-control': 'public, max-age=600', 'access-control-allow-origin': '*', ...(length === undefined ? {} : { 'content-length': String(length) }) }
	});
};
