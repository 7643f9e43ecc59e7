import { eq } from 'drizzle-orm';
import { loadConfig } from '../src/lib/server/config.ts';
import type { Ctx } from '../src/lib/server/context.ts';
import { openDatabase } from '../src/lib/server/db/client.ts';
import { userRoles, users } from '../src/lib/server/db/schema/index.ts';
import { dueTranches } from '../src/lib/server/payments/service.ts';
const url = 'file:/tmp/m.db';
const config = loadConfig({ DATABASE_URL: url });
const database = await openDatabase({ url, busyTimeoutMs: 5000 });
const db = database.db;
const [u] = await db.select({ id: users.id, email: users.email, name: users.name, locale: users.locale }).from(users).where(eq(users.email, 'finance@kvarter.demo'));
const roles = (await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, u.id))).map((r) => r.role);
const ctx = { database, config, actor: { ...u, roles }, now: new Date(), ip: null, locale: 'en' } as Ctx;
for (let k = 0; k < 4; k++) { const t = performance.now(); for (let i = 0; i < 100; i++) await dueTranches(ctx, {}); console.log(((performance.now() - t) / 100).toFixed(2), 'ms'); }
process.emit("SIGUSR2"); process.exit(0);
