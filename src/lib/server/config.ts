/**
 * Every environment variable Kvarter reads, with its description, default and validation.
 * `src/env.ts` hands these to SvelteKit (validated when the server starts); the command-line
 * tools and the tests call `loadConfig` with `process.env` directly, so there is one list.
 */

export type Parser<T> = (value: string | undefined) => T;

export class ConfigError extends Error {}

function fail(name: string, expected: string, value: string | undefined): never {
	throw new ConfigError(`${name} is invalid: expected ${expected}, got ${JSON.stringify(value)}`);
}

const urlWithProtocols =
	(name: string, protocols: string[], fallback?: string): Parser<string> =>
	(value) => {
		const v = value?.trim() || fallback;
		if (!v) fail(name, `a URL starting with ${protocols.join(' or ')}`, value);
		let url: URL;
		try {
			url = new URL(v);
		} catch {
			fail(name, `a URL starting with ${protocols.join(' or ')}`, value);
		}
		if (!protocols.includes(url.protocol)) fail(name, `a URL starting with ${protocols.join(' or ')}`, value);
		return v;
	};

const optionalUrl =
	(name: string, protocols: string[]): Parser<string | undefined> =>
	(value) =>
		value?.trim() ? urlWithProtocols(name, protocols)(value) : undefined;

const integer =
	(name: string, fallback: number, min: number, max: number): Parser<number> =>
	(value) => {
		if (value === undefined || value.trim() === '') return fallback;
		const n = Number(value);
		if (!Number.isInteger(n) || n < min || n > max) fail(name, `a whole number from ${min} to ${max}`, value);
		return n;
	};

const boolean =
	(name: string, fallback: boolean): Parser<boolean> =>
	(value) => {
		if (value === undefined || value.trim() === '') return fallback;
		if (['true', '1', 'yes'].includes(value)) return true;
		if (['false', '0', 'no'].includes(value)) return false;
		fail(name, 'true or false', value);
	};

const text =
	(name: string, fallback: string, maxLength = 200): Parser<string> =>
	(value) => {
		const v = value?.trim() || fallback;
		if (v.length > maxLength) fail(name, `at most ${maxLength} characters`, value);
		return v;
	};

const optionalText: Parser<string | undefined> = (value) => value?.trim() || undefined;

const originOf =
	(name: string, fallback: string): Parser<string> =>
	(value) => {
		const v = urlWithProtocols(name, ['http:', 'https:'], fallback)(value);
		const url = new URL(v);
		if (url.pathname !== '/' || url.search || url.hash) fail(name, 'an origin such as https://kvarter.example.se (no path)', value);
		return url.origin;
	};


const oneOf =
	<const T extends readonly string[]>(name: string, values: T, fallback: T[number]): Parser<T[number]> =>
	(value) => {
		const v = value?.trim() || fallback;
		if (!values.includes(v)) fail(name, `one of ${values.join(', ')}`, value);
		return v as T[number];
	};

const timeZone =
	(name: string, fallback: string): Parser<string> =>
	(value) => {
		const v = value?.trim() || fallback;
		try {
			new Intl.DateTimeFormat('en', { timeZone: v });
		} catch {
			fail(name, 'an IANA time zone such as Europe/Stockholm or Europe/Brussels', value);
		}
		return v;
	};

export const configSpec = {
	DATABASE_URL: {
		description: 'libSQL database: a file (file:data/kvarter.db, the default) or a server (libsql://, http://, ws://).',
		example: 'file:data/kvarter.db',
		parse: urlWithProtocols('DATABASE_URL', ['file:', 'libsql:', 'http:', 'https:', 'ws:', 'wss:'], 'file:data/kvarter.db')
	},
	DATABASE_AUTH_TOKEN: {
		description: 'Auth token for a libSQL server (sqld / Turso). Leave empty for a file.',
		example: '',
		parse: optionalText
	},
	PUBLIC_ORIGIN: {
		description: 'The public origin people reach Kvarter at; used in email links, cookies and the check of form origins.',
		example: 'http://localhost:5173',
		parse: originOf('PUBLIC_ORIGIN', 'http://localhost:5173')
	},
	SMTP_URL: {
		description: 'SMTP server for outgoing email (smtp://user:pass@host:587 or smtps://…). Empty: email stays in the outbox, readable by admins.',
		example: '',
		parse: optionalUrl('SMTP_URL', ['smtp:', 'smtps:'])
	},
	MAIL_FROM: {
		description: 'Sender of outgoing email.',
		example: 'Kvarter <no-reply@kvarter.localhost>',
		parse: text('MAIL_FROM', 'Kvarter <no-reply@kvarter.localhost>')
	},
	MUNICIPALITY_NAME: {
		description: 'Name of the municipality running the portal, shown in the header and in emails.',
		example: 'Älvstads kommun',
		parse: text('MUNICIPALITY_NAME', 'Älvstads kommun', 120)
	},
	CONTACT_EMAIL: {
		description: "Where people write to the municipality about Kvarter: shown on the contact page, in the accessibility statement and the privacy notice.",
		example: 'kvarter@alvstad.se',
		parse: text('CONTACT_EMAIL', 'kvarter@alvstad.example', 200)
	},
	CONTACT_PHONE: {
		description: "The municipality's contact centre telephone number, shown with the contact email.",
		example: '0123-45 67 00',
		parse: text('CONTACT_PHONE', '0123-45 67 00', 40)
	},
	ACCESSIBILITY_REVIEWED: {
		description: 'The day (YYYY-MM-DD) the accessibility statement was last reviewed, shown in it.',
		example: '2026-12-01',
		parse: (value) => {
			const v = value?.trim() || '2026-12-01';
			if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) fail('ACCESSIBILITY_REVIEWED', 'a day as YYYY-MM-DD', value);
			return v;
		}
	},
	FILES_DIR: {
		description: 'Folder for uploaded attachments (stored under random names, never served statically).',
		example: 'data/files',
		parse: text('FILES_DIR', 'data/files', 500)
	},
	FILES_URL: {
		description: 'Keep attachments in an S3-compatible bucket instead of FILES_DIR: s3://bucket/prefix. Nothing in the bucket needs to be public.',
		example: 's3://kvarter-files/attachments',
		parse: (value) => {
			const v = value?.trim();
			if (!v) return undefined;
			const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[A-Za-z0-9!_.*'()/-]*)?$/.exec(v);
			if (!m) fail('FILES_URL', 's3://bucket/prefix (a bucket name of lower-case letters, digits, dots and hyphens)', value);
			return v;
		}
	},
	S3_ENDPOINT: {
		description: "The S3-compatible service's URL (MinIO, Ceph, a cloud's object storage); empty for Amazon S3. Used with FILES_URL.",
		example: 'https://s3.example.org',
		parse: optionalUrl('S3_ENDPOINT', ['http:', 'https:'])
	},
	S3_REGION: {
		description: 'Region of the bucket in FILES_URL.',
		example: 'eu-north-1',
		parse: text('S3_REGION', 'us-east-1', 100)
	},
	S3_ACCESS_KEY_ID: {
		description: 'Access key for the bucket in FILES_URL; empty to take credentials the usual AWS ways (AWS_ACCESS_KEY_ID, a role).',
		example: '',
		parse: optionalText
	},
	S3_SECRET_ACCESS_KEY: {
		description: 'Secret of S3_ACCESS_KEY_ID.',
		example: '',
		parse: optionalText
	},
	COUNTRY: {
		description: 'Country whose organisation numbers are checked: SE (10 digits, Luhn) or BE (enterprise number, mod 97).',
		example: 'SE',
		parse: oneOf('COUNTRY', ['SE', 'BE'] as const, 'SE')
	},
	TIME_ZONE: {
		description: "The municipality's time zone: call dates are entered and shown in it.",
		example: 'Europe/Stockholm',
		parse: timeZone('TIME_ZONE', 'Europe/Stockholm')
	},
	DEBTOR_NAME: {
		description: 'Name of the paying account holder in payment files (defaults to MUNICIPALITY_NAME).',
		example: '',
		parse: optionalText
	},
	DEBTOR_IBAN: {
		description: "IBAN of the municipality's account that grants are paid from; needed for pain.001 payment files.",
		example: '',
		parse: optionalText
	},
	DEBTOR_BIC: {
		description: "BIC of the municipality's bank, for pain.001 payment files.",
		example: '',
		parse: optionalText
	},
	PAIN001_VERSION: {
		description: 'Version of the pain.001 payment files: 09 (pain.001.001.09, SEPA, the default) or 03 (pain.001.001.03, which some banks still require; Swedish banks also take bankgiro and plusgiro payees in it).',
		example: '09',
		parse: oneOf('PAIN001_VERSION', ['09', '03'] as const, '09')
	},
	SECOND_APPROVAL_ABOVE: {
		description: 'A payment above this amount (in minor units: öre or cents) needs a second finance user to approve it before it is paid.',
		example: '5000000',
		parse: integer('SECOND_APPROVAL_ABOVE', 5_000_000, 0, Number.MAX_SAFE_INTEGER)
	},
	STRIPE_SECRET_KEY: {
		description: 'Stripe secret key. With it and STRIPE_WEBHOOK_SECRET set, grantees can be paid through Stripe Connect and pay money back by card; without them nothing about Stripe shows.',
		example: '',
		parse: optionalText
	},
	STRIPE_WEBHOOK_SECRET: {
		description: 'Signing secret of the Stripe webhook endpoint (<PUBLIC_ORIGIN>/stripe/webhook).',
		example: '',
		parse: optionalText
	},
	STRIPE_API_URL: {
		description: "Where the Stripe API is reached (default Stripe's own); set only to point at a local server that speaks Stripe's API, as the tests do.",
		example: '',
		parse: optionalUrl('STRIPE_API_URL', ['http:', 'https:'])
	},
	OPEN_DATA_PREFIX: {
		description: "The municipality's 360Giving identifier prefix (registered with 360Giving), put before every grant id in the open data.",
		example: '360G-alvstad',
		parse: text('OPEN_DATA_PREFIX', '360G-kvarter', 60)
	},
	FUNDER_ORG_ID: {
		description: "The municipality's own organisation identifier in the org-id.guide form (e.g. SE-BLV-2120001234), for the open data's funding organisation.",
		example: 'SE-BLV-2120001234',
		parse: optionalText
	},
	SEED_DEMO_DATA: {
		description: 'Fill an empty database with demo users and neighbourhoods on start (true for development, false in production).',
		example: 'true',
		parse: boolean('SEED_DEMO_DATA', false)
	},
	BACKGROUND_JOBS: {
		description: 'Run the background jobs (email sender) in this process.',
		example: 'true',
		parse: boolean('BACKGROUND_JOBS', true)
	},
	OUTBOX_INTERVAL_MS: {
		description: 'How often the email sender looks for mail to send, in milliseconds.',
		example: '5000',
		parse: integer('OUTBOX_INTERVAL_MS', 5000, 200, 3_600_000)
	},
	DB_BUSY_TIMEOUT_MS: {
		description: 'How long a database write waits for a lock held by another process, in milliseconds.',
		example: '5000',
		parse: integer('DB_BUSY_TIMEOUT_MS', 5000, 100, 60_000)
	}
} satisfies Record<string, { description: string; example: string; parse: Parser<unknown> }>;

type Spec = typeof configSpec;
export type Config = { [K in keyof Spec]: ReturnType<Spec[K]['parse']> };

/** Parses every variable; throws one ConfigError naming the first bad one. */
export function loadConfig(env: Record<string, string | undefined>): Config {
	const out: Record<string, unknown> = {};
	for (const [name, spec] of Object.entries(configSpec)) out[name] = spec.parse(env[name]);
	return out as Config;
}

export function isProductionOrigin(config: Pick<Config, 'PUBLIC_ORIGIN'>) {
	return config.PUBLIC_ORIGIN.startsWith('https:');
}


/** Stripe is on only when both its secret key and its webhook secret are configured. */
export function stripeEnabled(config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET'>) {
	return !!config.STRIPE_SECRET_KEY && !!config.STRIPE_WEBHOOK_SECRET;
}
