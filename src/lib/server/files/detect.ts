/**
 * Decides what a file is from its bytes, never from its name. Kvarter accepts PDF, PNG, JPEG,
 * and the office documents DOCX, XLSX, ODT and ODS (which are ZIP archives: told apart by the
 * names and the ODF "mimetype" entry inside).
 */
export const ACCEPTED_TYPES = {
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	odt: 'application/vnd.oasis.opendocument.text',
	ods: 'application/vnd.oasis.opendocument.spreadsheet'
} as const;
export type FileKind = keyof typeof ACCEPTED_TYPES;

const startsWith = (bytes: Uint8Array, sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, from: number, to: number) => new TextDecoder('latin1').decode(bytes.subarray(from, to));

/** Names of the entries in a ZIP archive, read from its local file headers. */
function zipEntries(bytes: Uint8Array, max = 200): { name: string; data: Uint8Array }[] {
	const out: { name: string; data: Uint8Array }[] = [];
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let p = 0;
	while (p + 30 <= bytes.length && out.length < max && view.getUint32(p, true) === 0x04034b50) {
		const method = view.getUint16(p + 8, true);
		const compressed = view.getUint32(p + 18, true);
		const nameLen = view.getUint16(p + 26, true);
		const extraLen = view.getUint16(p + 28, true);
		const name = ascii(bytes, p + 30, p + 30 + nameLen);
		const start = p + 30 + nameLen + extraLen;
		const flags = view.getUint16(p + 6, true);
		out.push({ name, data: method === 0 ? bytes.subarray(start, start + compressed) : new Uint8Array() });
		// Entries written with a data descriptor have no size up front; the names seen so far must do.
		if (flags & 0x08 && compressed === 0) break;
		p = start + compressed;
	}
	return out;
}

export function detectFileKind(bytes: Uint8Array): FileKind | null {
	if (bytes.length < 8) return null;
	if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpg';
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
		const entries = zipEntries(bytes);
		const mimetype = entries.find((e) => e.name === 'mimetype');
		if (mimetype) {
			const type = ascii(mimetype.data, 0, mimetype.data.length).trim();
			if (type === ACCEPTED_TYPES.odt) return 'odt';
			if (type === ACCEPTED_TYPES.ods) return 'ods';
			return null;
		}
		const names = entries.map((e) => e.name);
		if (names.includes('[Content_Types].xml') || names.some((n) => n.startsWith('word/') || n.startsWith('xl/'))) {
			if (names.some((n) => n.startsWith('word/'))) return 'docx';
			if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
		}
	}
	return null;
}

/** A file name safe to send back in Content-Disposition: no path, no control characters, the right extension. */
export function cleanFileName(name: string, kind: FileKind): string {
	const base = (name.split(/[\\/]/).pop() ?? '')
		.replace(/\.[A-Za-z0-9]{1,5}$/, '')
		.replace(/[^\p{L}\p{N} ._()-]/gu, '_')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 80);
	return `${base || 'attachment'}.${kind}`;
}
