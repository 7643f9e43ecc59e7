import { getApp } from '#lib/server/app.ts';
import { openDataContext } from '#lib/server/transparency/opendata.ts';
import { openDataResponse } from '#lib/server/transparency/open-data-files.ts';
import type { RequestHandler } from './$types';

/** Every accepted grant as a 360Giving data package (JSON), sent from the file kept for the data as it is now. */
export const GET: RequestHandler = () => {
	const app = getApp();
	return openDataResponse(app.database.db, 'json', openDataContext(app.config));
};
