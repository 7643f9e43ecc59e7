/** Small real files for tests: a valid one-page PDF, a 1×1 PNG and stored (uncompressed) ZIPs. */
export function samplePdf(text = 'Kvarter test'): Uint8Array {
	const body = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R>>endobj\n4 0 obj<</Length ${text.length + 30}>>stream\nBT /F1 12 Tf 10 50 Td (${text}) Tj ET\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
	return new TextEncoder().encode(body);
}

export function samplePng(): Uint8Array {
	return Uint8Array.from(
		Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
	);
}

/** A ZIP archive with stored entries (enough for content detection). */
export function sampleZip(entries: [string, string][]): Uint8Array {
	const parts: Uint8Array[] = [];
	for (const [name, content] of entries) {
		const nameBytes = new TextEncoder().encode(name);
		const data = new TextEncoder().encode(content);
		const header = new Uint8Array(30);
		const v = new DataView(header.buffer);
		v.setUint32(0, 0x04034b50, true);
		v.setUint16(4, 20, true);
		v.setUint32(18, data.length, true);
		v.setUint32(22, data.length, true);
		v.setUint16(26, nameBytes.length, true);
		parts.push(header, nameBytes, data);
	}
	const total = parts.reduce((n, p) => n + p.length, 0);
	const out = new Uint8Array(total);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}
