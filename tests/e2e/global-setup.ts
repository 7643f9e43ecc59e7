import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { startTestSmtp } from '../../src/lib/server/testing/smtp.ts';
import { SMTP_PORT } from '../../playwright.config.ts';
import { MAIL_DIR } from './helpers.ts';

/** A real SMTP server for the whole run; every message it receives is written to MAIL_DIR as JSON. */
export default async function globalSetup() {
	rmSync(MAIL_DIR, { recursive: true, force: true });
	mkdirSync(MAIL_DIR, { recursive: true });
	let n = 0;
	const smtp = await startTestSmtp((mail) => {
		writeFileSync(`${MAIL_DIR}/${String(++n).padStart(5, '0')}.json`, JSON.stringify(mail));
	}, SMTP_PORT);
	return async () => smtp.close();
}
