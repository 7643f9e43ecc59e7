import { error } from '@sveltejs/kit';
import { t } from '../i18n.ts';

/**
 * Bounds on every posted form, whatever the action: read once through `guardedFormData`, which
 * turns a body that is not a form (text/plain, broken multipart, nothing) into a 400 with a
 * message, and refuses forms with more fields than any page has, more repeats of one field
 * than any list allows, or text with control characters (NUL and the like; tab and line
 * breaks are text). The per-form schemas then bound each field by length and range.
 */
export const FORM_LIMITS = { fields: 3000, repeats: 1000 } as const;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function checkForm(fd: FormData): { messageKey: string; params?: Record<string, unknown> } | null {
	let n = 0;
	const counts = new Map<string, number>();
	for (const [name, value] of fd.entries()) {
		if (++n > FORM_LIMITS.fields) return { messageKey: 'error_form_too_large' };
		const c = (counts.get(name) ?? 0) + 1;
		counts.set(name, c);
		if (c > FORM_LIMITS.repeats) return { messageKey: 'error_form_too_large' };
		if (CONTROL.test(name) || (typeof value === 'string' && CONTROL.test(value))) return { messageKey: 'error_control_characters' };
	}
	return null;
}

/** Replaces `request.formData` by a guarded reading (see above). */
export function guardFormData(request: Request) {
	const read = request.formData.bind(request);
	let once: Promise<FormData> | undefined;
	const guarded = async () => {
		let fd: FormData;
		try {
			fd = await read();
		} catch {
			error(400, t('error_form_unreadable'));
		}
		const refusal = checkForm(fd);
		if (refusal) error(400, t(refusal.messageKey, refusal.params));
		return fd;
	};
	Object.defineProperty(request, 'formData', { value: () => (once ??= guarded()), configurable: true });
}
