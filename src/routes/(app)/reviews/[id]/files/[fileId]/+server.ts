import { requireRole } from '#lib/server/auth/guards.ts';
import { readFileForReview } from '#lib/server/reviews/service.ts';
import { downloadResponse } from '#lib/server/files/download.ts';
import type { RequestHandler } from './$types';

/** A reviewer downloads a file of the application they review. */
export const GET: RequestHandler = async (event) => {
	const ctx = requireRole(event, 'reviewer');
	return downloadResponse(() => readFileForReview(ctx, event.params.id, event.params.fileId));
};
