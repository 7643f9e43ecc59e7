import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StripeRequest {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	/** The form-encoded body as Stripe's client sends it (`metadata[tranche_id]` and so on). */
	form: Record<string, string>;
}

/**
 * A local HTTP server that speaks the part of Stripe's API Kvarter uses: form-encoded requests
 * with a Bearer key, JSON objects back, errors in Stripe's `{ error: { type, message } }` shape,
 * and idempotency keys honoured as Stripe does (the same key returns the first response). The
 * production client is pointed at it with host, port and protocol.
 */
export async function startStripeServer() {
	const requests: StripeRequest[] = [];
	const byKey = new Map<string, { status: number; body: unknown }>();
	let failures = 0;
	let seq = 0;
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
			const path = (req.url ?? '').split('?')[0];
			requests.push({ method: req.method ?? '', path, headers: req.headers, form });
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++seq}` });
				res.end(JSON.stringify(body));
			};
			if (!String(req.headers.authorization ?? '').startsWith('Bearer sk_test_')) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
			const key = req.headers['idempotency-key'] as string | undefined;
			if (key && byKey.has(`${path}|${key}`)) {
				const first = byKey.get(`${path}|${key}`)!;
				return send(first.status, first.body);
			}
			const created = Math.floor(Date.now() / 1000);
			const metadata = Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v]));
			let status = 200;
			let body: unknown;
			if (failures > 0 && req.method === 'POST') {
				failures--;
				status = 400;
				body = { error: { type: 'invalid_request_error', code: 'balance_insufficient', message: 'You have insufficient available funds in your Stripe account.' } };
			} else if (req.method === 'POST' && path === '/v1/accounts') {
				body = { id: `acct_test${++seq}`, object: 'account', type: form.type, country: form.country, email: form.email, metadata, charges_enabled: false, payouts_enabled: false, created };
			} else if (req.method === 'POST' && path === '/v1/account_links') {
				body = { object: 'account_link', url: `https://connect.stripe.com/setup/e/${form.account}/link${++seq}`, created, expires_at: created + 300 };
			} else if (req.method === 'POST' && path === '/v1/transfers') {
				body = { id: `tr_test${++seq}`, object: 'transfer', amount: Number(form.amount), currency: form.currency, destination: form.destination, transfer_group: form.transfer_group, metadata, reversed: false, amount_reversed: 0, created };
			} else if (req.method === 'POST' && path === '/v1/checkout/sessions') {
				const id = `cs_test_${++seq}`;
				body = { id, object: 'checkout.session', mode: form.mode, amount_total: Number(form['line_items[0][price_data][unit_amount]']), currency: form['line_items[0][price_data][currency]'], metadata, client_reference_id: form.client_reference_id, payment_status: 'unpaid', status: 'open', url: `https://checkout.stripe.com/c/pay/${id}`, created };
			} else {
				status = 404;
				body = { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } };
			}
			if (key) byKey.set(`${path}|${key}`, { status, body });
			send(status, body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		/** The next n POSTs are refused as Stripe refuses a transfer it cannot fund. */
		failNext(n = 1) {
			failures = n;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
