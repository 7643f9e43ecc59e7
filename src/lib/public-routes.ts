/**
 * The pages a visitor reaches without signing in: the home page, the public pages, signing in and
 * up, and the error page (`null`: no route matched). They load only the texts such pages use
 * (scripts/vite-messages.ts); any other page loads all of its language's texts.
 */
export function isPublicRoute(id: string | null): boolean {
	return id === null || id === '/' || id.startsWith('/(public)/') || id.startsWith('/(auth)/');
}
