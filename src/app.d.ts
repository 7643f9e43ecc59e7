import type { Actor } from '#lib/server/context.ts';

declare global {
	namespace App {
		interface Error {
			message: string;
			errorId?: string;
		}
		interface Locals {
			actor: Actor | null;
			sessionToken: string | null;
		}
	}
}

export {};
