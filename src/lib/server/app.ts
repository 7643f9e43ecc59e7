import type { Config } from './config.ts';
import { migrateDatabase, openDatabase, type Database } from './db/client.ts';
import { sendDueEmails, smtpMailer } from './email/outbox.ts';
import { startJob } from './jobs/lease.ts';
import { sendReviewReminders } from './reviews/reminders.ts';
import { sendMilestoneReminders } from './grants/reminders.ts';
import { sendTodoDigests } from './todo/digest.ts';
import { isEmpty, seedDemo } from './seed/demo.ts';
import { seedGrants } from './seed/grants.ts';

export interface App {
	config: Config;
	database: Database;
	stop(): void;
}

let app: App | undefined;

/** Opens and migrates the database, seeds an empty one when asked, starts background jobs. */
export async function startApp(config: Config): Promise<App> {
	if (app) return app;
	const database = await openDatabase({
		url: config.DATABASE_URL,
		authToken: config.DATABASE_AUTH_TOKEN,
		busyTimeoutMs: config.DB_BUSY_TIMEOUT_MS
	});
	await migrateDatabase(database);
	if (config.SEED_DEMO_DATA && (await isEmpty(database))) {
		await seedDemo(database);
		await seedGrants(database, config);
		console.info('[kvarter] empty database: demo data seeded (see README for the demo logins)');
	}
	const stops: (() => void)[] = [];
	if (config.BACKGROUND_JOBS) {
		stops.push(startJob(database, 'review-reminders', 10 * 60_000, (now) => sendReviewReminders(database, config, now)));
		stops.push(startJob(database, 'milestone-reminders', 10 * 60_000, (now) => sendMilestoneReminders(database, config, now)));
		stops.push(startJob(database, 'todo-digest', 10 * 60_000, (now) => sendTodoDigests(database, config, now)));
	}
	if (config.BACKGROUND_JOBS && config.SMTP_URL) {
		const mailer = smtpMailer(config.SMTP_URL);
		stops.push(startJob(database, 'email-outbox', config.OUTBOX_INTERVAL_MS, (now) => sendDueEmails(database, mailer, config.MAIL_FROM, now)));
	}
	app = { config, database, stop: () => stops.forEach((s) => s()) };
	// Once the server has finished its requests (SIGTERM, adapter-node): the jobs stop and the
	// database lets go, so the process ends — a libSQL server's connection would otherwise keep it.
	process.once('sveltekit:shutdown', async () => {
		app?.stop();
		// A request whose browser went away still runs to its end (nothing stops it): the database
		// waits for the last of them, at most 10 s, rather than failing it half way.
		for (const until = Date.now() + 10_000; working > 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
		database.close();
	});
	return app;
}

let working = 0;
/** Runs the handling of one request, counted, so that the database closes after the last (above). */
export async function counted<T>(work: () => Promise<T>): Promise<T> {
	working++;
	try {
		return await work();
	} finally {
		working--;
	}
}

export function getApp(): App {
	if (!app) throw new Error('Kvarter has not started: startApp() runs in the init hook');
	return app;
}
