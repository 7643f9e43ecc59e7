import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Call descriptions are written by staff in Markdown. Raw HTML in them is never executed: the
 * rendered HTML passes an allow-list of plain text elements (no scripts, styles, frames, forms,
 * event handlers or javascript: links).
 */
export function renderMarkdown(markdown: string): string {
	const html = marked.parse(markdown, { async: false, gfm: true, breaks: false }) as string;
	return sanitizeHtml(html, {
		allowedTags: ['p', 'br', 'strong', 'em', 'ul', 'ol', 'li', 'a', 'h2', 'h3', 'h4', 'blockquote', 'code', 'pre', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
		allowedAttributes: { a: ['href', 'title'], th: ['scope'] },
		allowedSchemes: ['http', 'https', 'mailto', 'tel'],
		transformTags: { h1: 'h2' }
	});
}
