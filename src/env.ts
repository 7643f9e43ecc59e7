import { defineEnvVars } from '@sveltejs/kit/env';
import { configSpec } from './lib/server/config.ts';

type Spec = typeof configSpec;
const fromSpec = <K extends keyof Spec>(name: K) => ({
	description: configSpec[name].description,
	schema: configSpec[name].parse as Spec[K]['parse']
});

// Every variable is validated when the server starts; a bad value stops it with one line
// naming the variable and what is expected. Descriptions and defaults live in configSpec.
export const variables = defineEnvVars({
	DATABASE_URL: fromSpec('DATABASE_URL'),
	DATABASE_AUTH_TOKEN: fromSpec('DATABASE_AUTH_TOKEN'),
	PUBLIC_ORIGIN: fromSpec('PUBLIC_ORIGIN'),
	SMTP_URL: fromSpec('SMTP_URL'),
	MAIL_FROM: fromSpec('MAIL_FROM'),
	MUNICIPALITY_NAME: fromSpec('MUNICIPALITY_NAME'),
	CONTACT_EMAIL: fromSpec('CONTACT_EMAIL'),
	CONTACT_PHONE: fromSpec('CONTACT_PHONE'),
	ACCESSIBILITY_REVIEWED: fromSpec('ACCESSIBILITY_REVIEWED'),
	FILES_DIR: fromSpec('FILES_DIR'),
	FILES_URL: fromSpec('FILES_URL'),
	S3_ENDPOINT: fromSpec('S3_ENDPOINT'),
	S3_REGION: fromSpec('S3_REGION'),
	S3_ACCESS_KEY_ID: fromSpec('S3_ACCESS_KEY_ID'),
	S3_SECRET_ACCESS_KEY: fromSpec('S3_SECRET_ACCESS_KEY'),
	COUNTRY: fromSpec('COUNTRY'),
	TIME_ZONE: fromSpec('TIME_ZONE'),
	DEBTOR_NAME: fromSpec('DEBTOR_NAME'),
	DEBTOR_IBAN: fromSpec('DEBTOR_IBAN'),
	DEBTOR_BIC: fromSpec('DEBTOR_BIC'),
	PAIN001_VERSION: fromSpec('PAIN001_VERSION'),
	SECOND_APPROVAL_ABOVE: fromSpec('SECOND_APPROVAL_ABOVE'),
	STRIPE_SECRET_KEY: fromSpec('STRIPE_SECRET_KEY'),
	STRIPE_WEBHOOK_SECRET: fromSpec('STRIPE_WEBHOOK_SECRET'),
	STRIPE_API_URL: fromSpec('STRIPE_API_URL'),
	OPEN_DATA_PREFIX: fromSpec('OPEN_DATA_PREFIX'),
	FUNDER_ORG_ID: fromSpec('FUNDER_ORG_ID'),
	SEED_DEMO_DATA: fromSpec('SEED_DEMO_DATA'),
	BACKGROUND_JOBS: fromSpec('BACKGROUND_JOBS'),
	OUTBOX_INTERVAL_MS: fromSpec('OUTBOX_INTERVAL_MS'),
	DB_BUSY_TIMEOUT_MS: fromSpec('DB_BUSY_TIMEOUT_MS')
});
