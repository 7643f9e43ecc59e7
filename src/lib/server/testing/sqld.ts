import dns from 'node:dns';

/**
 * The server tests on a libSQL server (`npm run test:sqld`): scripts/test-sqld.mjs starts sqld on
 * loopback with namespaces (isolated databases in one server) and names it here. Each test
 * database is a namespace forked from one migrated template namespace per test process, reached
 * as the server reaches its own: by URL, `ws://<namespace>.localhost:<port>` (sqld picks the
 * namespace by the first label of the host name).
 */
const SQLD = process.env.KVARTER_TEST_SQLD ? new URL(process.env.KVARTER_TEST_SQLD) : undefined;
const SQLD_ADMIN = process.env.KVARTER_TEST_SQLD_ADMIN;
export const onSqld = SQLD !== undefined;

export const namespaceUrl = (name: string) => `ws://${name}.localhost:${SQLD!.port}`;

async function admin(method: 'POST' | 'DELETE', path: string) {
	const res = await fetch(`${SQLD_ADMIN}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
	if (!res.ok) throw new Error(`sqld admin ${method} ${path}: ${res.status} ${await res.text()}`);
}
export const createNamespace = (name: string) => admin('POST', `/v1/namespaces/${name}/create`);
export const forkNamespace = (from: string, to: string) => admin('POST', `/v1/namespaces/${from}/fork/${to}`);
export const deleteNamespace = (name: string) => admin('DELETE', `/v1/namespaces/${name}`);

if (onSqld) {
	// Names under .localhost are loopback (RFC 6761) and resolve so where systemd-resolved runs,
	// but not through every resolver: this process resolves them itself.
	const lookup = dns.lookup;
	const local = (hostname: string, options: dns.LookupOptions | ((...a: unknown[]) => void), callback?: (...a: unknown[]) => void) => {
		if (typeof options === 'function') [callback, options] = [options, {}];
		if (!/\.localhost\.?$/i.test(hostname)) return (lookup as (...a: unknown[]) => void).call(dns, hostname, options, callback);
		if (options.all) process.nextTick(callback!, null, [{ address: '127.0.0.1', family: 4 }]);
		else process.nextTick(callback!, null, '127.0.0.1', 4);
	};
	(dns as { lookup: unknown }).lookup = local;
}
