/**
 * Checks an optional neighbourhood boundary: GeoJSON Polygon or MultiPolygon (bare, or as a
 * Feature), positions [longitude, latitude] in range, every ring closed with at least four
 * positions. Returns the compact JSON, or null when it is not such a boundary.
 */
export function normaliseBoundary(text: string): string | null {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return null;
	}
	let geometry = value as { type?: string; coordinates?: unknown; geometry?: unknown };
	if (geometry?.type === 'Feature') geometry = geometry.geometry as typeof geometry;
	if (!geometry || typeof geometry !== 'object') return null;
	const polygons =
		geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? (geometry.coordinates as unknown[]) : null;
	if (!Array.isArray(polygons) || polygons.length === 0) return null;
	for (const polygon of polygons) {
		if (!Array.isArray(polygon) || polygon.length === 0) return null;
		for (const ring of polygon) {
			if (!Array.isArray(ring) || ring.length < 4) return null;
			for (const pos of ring) {
				if (!Array.isArray(pos) || pos.length < 2 || !pos.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
				if (Math.abs(pos[0]) > 180 || Math.abs(pos[1]) > 90) return null;
			}
			const [a, b] = [ring[0], ring[ring.length - 1]];
			if (a[0] !== b[0] || a[1] !== b[1]) return null;
		}
	}
	return JSON.stringify({ type: geometry.type, coordinates: geometry.coordinates });
}
