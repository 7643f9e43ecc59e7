import { defineConfig } from 'vitest/config';

// Server tests run in plain Node against a real libSQL database; they need neither the
// SvelteKit nor the Paraglide Vite plugin (messages are compiled by `npm run prepare`).
export default defineConfig({
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		pool: 'forks',
		testTimeout: 20_000,
		hookTimeout: 30_000
	}
});
