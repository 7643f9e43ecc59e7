import { describe, expect, it } from 'vitest';
import { configSpec, loadConfig } from './config.ts';

describe('configuration', () => {
	it('works with no variables at all, with safe development defaults', () => {
		const config = loadConfig({});
		expect(config).toMatchObject({
			DATABASE_URL: 'file:data/kvarter.db',
			PUBLIC_ORIGIN: 'http://localhost:5173',
			SMTP_URL: undefined,
			SEED_DEMO_DATA: false,
			BACKGROUND_JOBS: true,
			OUTBOX_INTERVAL_MS: 5000
		});
	});

	it('stops with one line naming the variable and what is expected', () => {
		const cases: [string, string, RegExp][] = [
			['DATABASE_URL', 'postgres://x', /^DATABASE_URL is invalid: expected a URL starting with file: or libsql:/],
			['PUBLIC_ORIGIN', 'kvarter.example.se', /^PUBLIC_ORIGIN is invalid: expected a URL/],
			['PUBLIC_ORIGIN', 'https://kvarter.example.se/portal', /^PUBLIC_ORIGIN is invalid: expected an origin/],
			['SMTP_URL', 'http://mail', /^SMTP_URL is invalid: expected a URL starting with smtp: or smtps:/],
			['SEED_DEMO_DATA', 'maybe', /^SEED_DEMO_DATA is invalid: expected true or false/],
			['OUTBOX_INTERVAL_MS', '10', /^OUTBOX_INTERVAL_MS is invalid: expected a whole number from 200/]
		];
		for (const [name, value, message] of cases) {
			expect(() => loadConfig({ [name]: value }), name).toThrow(message);
			try {
				loadConfig({ [name]: value });
			} catch (e) {
				expect((e as Error).message).not.toContain('\n');
			}
		}
	});

	it('accepts a libSQL server URL and normalises the origin', () => {
		const config = loadConfig({ DATABASE_URL: 'libsql://kvarter.example.turso.io', PUBLIC_ORIGIN: 'https://kvarter.example.se/' });
		expect(config.DATABASE_URL).toBe('libsql://kvarter.example.turso.io');
		expect(config.PUBLIC_ORIGIN).toBe('https://kvarter.example.se');
	});

	it('lists every variable in .env.example', async () => {
		const { readFileSync } = await import('node:fs');
		const example = readFileSync('.env.example', 'utf8');
		for (const name of Object.keys(configSpec)) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
	});
});
