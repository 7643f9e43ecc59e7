import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { applications, attachments } from '../db/schema/index.ts';
import { audit } from '../audit/service.ts';
import { requireActor } from '../auth/authorize.ts';
import { DomainError, notFound } from '../errors.ts';
import { LIMITS } from '../../domain.ts';
import { ACCEPTED_TYPES, cleanFileName, detectFileKind } from '../files/detect.ts';
import { fileStore } from '../files/store.ts';
import { partyOf } from './service.ts';
import { assertMayOnApplication } from '../access/relations.ts';

/**
 * The applicant side attaches a file while the application is editable. The type is decided
 * by the bytes (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS); size is limited per file and per
 * application. Refuses: not_found, invalid_state, invalid (type, size, count).
 */
export async function addAttachment(ctx: Ctx, applicationId: number, file: { name: string; bytes: Uint8Array }) {
	const actor = requireActor(ctx);
	if (file.bytes.length === 0) throw new DomainError('invalid', 'error_file_required', 'file');
	if (file.bytes.length > LIMITS.attachmentBytes) throw new DomainError('invalid', 'error_file_too_large', 'file', { mb: LIMITS.attachmentBytes / 1024 / 1024 });
	const kind = detectFileKind(file.bytes);
	if (!kind) throw new DomainError('invalid', 'error_file_type', 'file');
	const [app] = await ctx.database.db.select().from(applications).where(eq(applications.id, applicationId));
	if (!app || (await partyOf(ctx.database.db, actor, app)) !== 'applicant') throw notFound();
	const store = fileStore(ctx.config);
	// The file is written before the row (outside the write lock); a refused row removes it again.
	const fileId = await store.save(file.bytes);
	try {
		await ctx.database.write(async (tx) => {
			const [current] = await tx.select().from(applications).where(eq(applications.id, applicationId));
			await assertMayOnApplication(tx, actor, 'application.edit', current, 'error_not_editable');
			const [{ n, bytes }] = await tx
				.select({ n: sql<number>`count(*)`, bytes: sql<number>`coalesce(sum(${attachments.size}), 0)` })
				.from(attachments)
				.where(eq(attachments.applicationId, applicationId));
			if (n >= LIMITS.attachments) throw new DomainError('invalid', 'error_too_many_files', 'file', { max: LIMITS.attachments });
			if (bytes + file.bytes.length > LIMITS.applicationBytes) {
				throw new DomainError('invalid', 'error_files_total_too_large', 'file', { mb: LIMITS.applicationBytes / 1024 / 1024 });
			}
			const fileName = cleanFileName(file.name, kind);
			await tx.insert(attachments).values({
				id: fileId,
				applicationId,
				fileName,
				contentType: ACCEPTED_TYPES[kind],
				size: file.bytes.length,
				uploadedBy: actor.id,
				createdAt: ctx.now
			});
			await audit(tx, ctx, { action: 'application.attachment_added', entityType: 'application', entityId: String(applicationId), summary: { fileName, size: file.bytes.length } });
		});
	} catch (err) {
		await store.remove(fileId);
		throw err;
	}
	return fileId;
}

/** The applicant side removes a file while the application is editable. Refuses: not_found, invalid_state. */
export async function removeAttachment(ctx: Ctx, applicationId: number, attachmentId: string) {
	const actor = requireActor(ctx);
	await ctx.database.write(async (tx) => {
		const [app] = await tx.select().from(applications).where(eq(applications.id, applicationId));
		if (!app || (await partyOf(tx, actor, app)) !== 'applicant') throw notFound();
		await assertMayOnApplication(tx, actor, 'application.edit', app, 'error_not_editable');
		const [row] = await tx.delete(attachments).where(and(eq(attachments.id, attachmentId), eq(attachments.applicationId, applicationId))).returning();
		if (!row) throw notFound();
		await audit(tx, ctx, { action: 'application.attachment_removed', entityType: 'application', entityId: String(applicationId), summary: { fileName: row.fileName } });
	});
	await fileStore(ctx.config).remove(attachmentId);
}

/** A file of an application, for whoever may read that application. Refuses: not_found. */
export async function readAttachment(ctx: Ctx, applicationId: number, attachmentId: string) {
	const actor = requireActor(ctx);
	if (!Number.isSafeInteger(applicationId) || !/^[a-z0-9-]{36}$/.test(attachmentId)) throw notFound();
	const [row] = await ctx.database.db
		.select({ att: attachments, app: applications })
		.from(attachments)
		.innerJoin(applications, eq(applications.id, attachments.applicationId))
		.where(and(eq(attachments.id, attachmentId), eq(attachments.applicationId, applicationId)));
	if (!row || !(await partyOf(ctx.database.db, actor, row.app))) throw notFound();
	const bytes = await fileStore(ctx.config).read(attachmentId);
	return { fileName: row.att.fileName, contentType: row.att.contentType, bytes };
}
