import { geoArea, geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export const MAP_WIDTH = 640;
export const MAP_HEIGHT = 420;

/**
 * SVG paths of the neighbourhoods that have GeoJSON boundaries, fitted to one frame (Mercator,
 * which is faithful at a town's scale). Drawn on the server: no tiles, no script, works offline.
 * Empty when no neighbourhood has a boundary (the map is then simply not shown).
 */
export function mapShapes<T extends { id: string; boundary: string | null }>(places: T[]): (T & { d: string; cx: number; cy: number })[] {
	const withShape = places.filter((p) => p.boundary);
	if (withShape.length === 0) return [];
	const features: Feature<Geometry, { id: string }>[] = withShape.map((p) => {
		const g = JSON.parse(p.boundary!) as Geometry | Feature<Geometry>;
		const geometry = 'geometry' in g && g.type === 'Feature' ? g.geometry : (g as Geometry);
		return rewound({ type: 'Feature', geometry, properties: { id: p.id } });
	});
	const collection: FeatureCollection<Geometry, { id: string }> = { type: 'FeatureCollection', features };
	const projection = geoMercator().fitExtent([[8, 8], [MAP_WIDTH - 8, MAP_HEIGHT - 8]], collection);
	const path = geoPath(projection);
	return withShape.map((p, i) => {
		const [cx, cy] = path.centroid(features[i]);
		return { ...p, d: path(features[i]) ?? '', cx: Math.round(cx), cy: Math.round(cy) };
	});
}

/**
 * GeoJSON (RFC 7946) winds outer rings anticlockwise; d3-geo reads rings on the sphere and takes
 * an anticlockwise ring as "everything but this". A feature that covers more than half the globe
 * is such a ring: reverse its rings.
 */
function rewound<F extends Feature<Geometry, { id: string }>>(feature: F): F {
	if (geoArea(feature) <= 2 * Math.PI) return feature;
	const g = feature.geometry;
	const flip = (rings: number[][][]) => rings.map((ring) => [...ring].reverse());
	if (g.type === 'Polygon') return { ...feature, geometry: { ...g, coordinates: flip(g.coordinates) } };
	if (g.type === 'MultiPolygon') return { ...feature, geometry: { ...g, coordinates: g.coordinates.map(flip) } };
	return feature;
}
