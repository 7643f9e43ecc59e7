import { requireUser } from '#lib/server/auth/guards.ts';
import { readReportFile } from '#lib/server/grants/reports.ts';
import { downloadResponse } from '#lib/server/files/download.ts';
import type { RequestHandler } from './$types';

/** A photo or document of a report, for the grantee side and staff, as a download. */
export const GET: RequestHandler = async (event) => {
	const ctx = requireUser(event);
	return downloadResponse(() => readReportFile(ctx, event.params.id, event.params.fileId));
};
