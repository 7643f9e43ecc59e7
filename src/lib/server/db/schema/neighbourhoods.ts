import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const neighbourhoods = sqliteTable(
	'neighbourhoods',
	{
		id: text('id').primaryKey(),
		name: text('name').notNull(),
		/** The municipality's own area code (for open data's beneficiary location). */
		code: text('code'),
		population: integer('population'),
		priority: integer('priority', { mode: 'boolean' }).notNull().default(false),
		/** Optional GeoJSON (Polygon or MultiPolygon) as text. */
		boundary: text('boundary'),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [uniqueIndex('neighbourhoods_name_unique').on(t.name), index('neighbourhoods_priority_idx').on(t.priority)]
);
