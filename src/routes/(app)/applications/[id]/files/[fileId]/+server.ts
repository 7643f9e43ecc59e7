import { requireUser } from '#lib/server/auth/guards.ts';
import { readAttachment } from '#lib/server/applications/attachments.ts';
import { downloadResponse } from '#lib/server/files/download.ts';
import type { RequestHandler } from './$types';

/** Downloads a file of an application the user may read, always as an attachment. */
export const GET: RequestHandler = async (event) => {
	const ctx = requireUser(event);
	return downloadResponse(() => readAttachment(ctx, Number(event.params.id), event.params.fileId));
};
