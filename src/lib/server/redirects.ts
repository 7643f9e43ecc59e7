/**
 * Every redirect target that comes from input (`?next=`, the language switch) goes through
 * `localPath`: a path on this site, or nothing. Control characters, backslashes and anything the
 * URL parser would read as another host (`//evil`, `/\t/evil`, `/\evil`) are refused.
 */
const BASE = 'http://kvarter.invalid';

export function localPath(value: string | null | undefined): string | null {
	if (!value || value.length > 2000 || !value.startsWith('/')) return null;
	if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
	let url: URL;
	try {
		url = new URL(value, BASE);
	} catch {
		return null;
	}
	if (url.origin !== BASE || url.pathname.startsWith('//')) return null;
	return url.pathname + url.search + url.hash;
}

/** A local path to return to after signing in; anything else goes home. */
export function safeNext(value: string | null | undefined): string {
	return localPath(value) ?? '/';
}
