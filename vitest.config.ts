import { defineConfig } from 'vitest/config';

// Server tests run in plain Node against a real libSQL database; they need neither the
// SvelteKit nor the Paraglide Vite plugin (messages are compiled by `npm run prepare`).
export default defineConfig({
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		pool: 'forks',
		// Embedded libSQL holds native memory per transaction that only a garbage collection frees;
		// the model-based tests run tens of thousands of transactions and collect after each sequence.
		execArgv: ['--expose-gc'],
		testTimeout: 20_000,
		hookTimeout: 30_000
	}
});
